// A chat server on every core: node:cluster workers behind one port, each a WebSocketServer,
// rooms shared through Redis pub/sub. A client's room is its URL path (ws://host:port/lobby);
// whatever it sends goes to everyone in that room, on any worker.
//   redis-server &   # or point REDIS_PORT / REDIS_HOST at yours
//   pnpm run build && node examples/cluster-redis/server.mjs
// Environment: PORT (default 8080), WORKERS (default: one per CPU), REDIS_HOST, REDIS_PORT.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { WebSocketServer } from '@sansock/node';
import { PubSub, redisBus } from '@sansock/pubsub';
import { Redis } from 'ioredis';

const port = Number(process.env.PORT ?? 8080);
const redis = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

if (cluster.isPrimary) {
  const workers = Number(process.env.WORKERS ?? availableParallelism());
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message) => {
      if (message === 'ready' && ++ready === workers) console.log(`listening on ws://127.0.0.1:${port} with ${workers} workers`);
    });
  }
  // A worker that dies takes only its own sockets with it; start another in its place.
  let stopping = false;
  cluster.on('exit', () => {
    if (!stopping) cluster.fork();
  });
  process.on('SIGTERM', () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    cluster.disconnect(() => process.exit(0));
  });
} else {
  // All workers listen on the same port: the primary hands each new connection to one of them.
  const wss = new WebSocketServer({ port });
  const listening = new Promise((resolve) => wss.once('listening', resolve));
  const pubsub = new PubSub({
    server: wss,
    bus: redisBus({
      // No offline queue: while Redis is down a publish is dropped (at-most-once), not held in memory.
      publisher: new Redis({ ...redis, enableOfflineQueue: false }),
      subscriber: new Redis(redis),
    }),
  });
  await pubsub.whenReady();
  wss.on('connection', (ws, request) => {
    const room = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname.slice(1)) || 'lobby';
    ws.on('error', console.error);
    ws.subscribe(room);
    ws.send(`welcome to ${room}, served by worker ${cluster.worker.id}`);
    ws.on('message', (data, isBinary) => pubsub.publish(room, data, { binary: isBinary }));
  });
  await listening;
  process.send('ready');
}
