// Broadcast: a message from one client goes to every other connected client.
//   pnpm run build && node examples/broadcast.mjs
import { pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const wss = new WebSocketServer({ port, host });
  wss.on('connection', (ws) => {
    ws.on('error', console.error);
    ws.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client !== ws && client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
      }
    });
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
  console.log(`broadcast server on ${url}`);
}
