// Heartbeat: the server pings every client each interval and terminates those that did not
// answer the previous ping (dead peers, half-open TCP connections).
//   pnpm run build && node examples/heartbeat.mjs
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1', interval = 30_000 } = {}) {
  const wss = new WebSocketServer({ port, host });
  const alive = new WeakMap();

  wss.on('connection', (ws) => {
    ws.on('error', console.error);
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  });

  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, interval);
  wss.on('close', () => clearInterval(timer));

  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://${host}:${wss.address().port}`,
    server: wss,
    close: () =>
      new Promise((resolve) => {
        clearInterval(timer);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`heartbeat server on ${url}`);
}
