// Rooms with @sansock/pubsub: a client joins the room named by its URL path and everything it
// sends goes to everyone in that room, serialised once per message whatever the room's size.
// With REDIS_PORT set, rooms span every process started the same way (run two on two ports).
//   pnpm run build && node examples/pubsub-rooms.mjs             # one process
//   REDIS_PORT=6379 PORT=8081 node examples/pubsub-rooms.mjs     # one of many, through Redis
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';
import { PubSub, redisBus } from '@sansock/pubsub';
import { Redis } from 'ioredis';

export async function start({ port = 0, host = '127.0.0.1', redisPort } = {}) {
  const bus =
    redisPort === undefined
      ? undefined
      : redisBus({
          // No offline queue: a publish while Redis is down is dropped (at-most-once), not queued.
          publisher: new Redis({ port: redisPort, enableOfflineQueue: false }),
          subscriber: new Redis({ port: redisPort }),
        });
  const wss = new WebSocketServer({ port, host });
  const listening = new Promise((resolve) => wss.once('listening', resolve));
  const pubsub = new PubSub({ server: wss, bus }); // wss.publish, plus the bus
  await pubsub.whenReady();
  wss.on('connection', (ws, request) => {
    const room = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname.slice(1)) || 'lobby';
    ws.on('error', console.error);
    ws.subscribe(room); // left automatically when the socket closes
    ws.on('message', (data, isBinary) => pubsub.publish(room, data, { binary: isBinary }));
  });
  await listening;
  return {
    url: `ws://${host}:${wss.address().port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await pubsub.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const redisPort = process.env.REDIS_PORT ? Number(process.env.REDIS_PORT) : undefined;
  const { url } = await start({ port: Number(process.env.PORT ?? 8080), redisPort });
  console.log(`rooms on ${url}/<room>${redisPort ? ` (shared through Redis on port ${redisPort})` : ''}`);
}
