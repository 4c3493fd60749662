// Presence with @sansock/pubsub: who is in a room, across every process on the bus. A client
// connects to ws://host:port/<room>?name=<name>; it is told the room's members at once, then
// every join and leave (from any process) as JSON. A process that dies has its members leave
// after the TTL. With REDIS_PORT set, run several (on other PORTs) and they share presence.
//   pnpm run build && node examples/presence.mjs
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';
import { Presence, PubSub, redisBus } from '@sansock/pubsub';
import { Redis } from 'ioredis';

export async function start({ port = 0, host = '127.0.0.1', redisPort } = {}) {
  const bus =
    redisPort === undefined
      ? undefined
      : redisBus({ publisher: new Redis({ port: redisPort, enableOfflineQueue: false }), subscriber: new Redis({ port: redisPort }) });
  const wss = new WebSocketServer({ port, host });
  const listening = new Promise((resolve) => wss.once('listening', resolve));
  const pubsub = new PubSub({ server: wss, bus });
  // Heartbeat every 5 s; a silent process's members leave after 15 s.
  const presence = new Presence({ pubsub, heartbeatInterval: 5000, ttl: 15_000 });
  // Every process hears every change, so each tells only its own sockets (wss.publish, not the bus).
  presence.on('join', (room, member) => wss.publish(room, JSON.stringify({ join: member })));
  presence.on('leave', (room, member) => wss.publish(room, JSON.stringify({ leave: member })));
  wss.on('connection', (ws, request) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const room = decodeURIComponent(url.pathname.slice(1)) || 'lobby';
    ws.on('error', console.error);
    ws.send(JSON.stringify({ members: presence.members(room) }));
    ws.subscribe(room);
    presence.track(ws, room, url.searchParams.get('name') ?? 'anonymous'); // leaves on close
  });
  await pubsub.whenReady();
  await listening;
  return {
    url: `ws://${host}:${wss.address().port}`,
    close: async () => {
      presence.close(); // the other processes drop our members at once
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await pubsub.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const redisPort = process.env.REDIS_PORT ? Number(process.env.REDIS_PORT) : undefined;
  const { url } = await start({ port: Number(process.env.PORT ?? 8080), redisPort });
  console.log(`presence on ${url}/<room>?name=<name>${redisPort ? ` (shared through Redis on port ${redisPort})` : ''}`);
}
