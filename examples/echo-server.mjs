// Echo server: every message goes back to its sender, text as text and binary as binary.
//   pnpm run build && node examples/echo-server.mjs
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const wss = new WebSocketServer({ port, host });
  wss.on('connection', (ws) => {
    ws.on('error', console.error);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://${host}:${wss.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`echo server on ${url}`);
}
