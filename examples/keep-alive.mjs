// Keep-alive without a timer of your own (the `keepAlive` option, not in ws): the server pings a
// client after `interval` ms in which nothing arrived from it, and drops one that then stays
// silent for `timeout` ms ('close' with 1006). Compare heartbeat.mjs, the same with ws's API only.
//   pnpm run build && node examples/keep-alive.mjs
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1', interval = 30_000, timeout = 10_000, onClose = () => {} } = {}) {
  const wss = new WebSocketServer({ port, host, keepAlive: { interval, timeout } });

  wss.on('connection', (ws) => {
    ws.on('error', console.error);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('close', (code) => onClose(code));
  });

  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://${host}:${wss.address().port}`,
    server: wss,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`keep-alive server on ${url}`);
}
