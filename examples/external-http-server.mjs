// An existing HTTP server serves pages and hands WebSocket upgrades to the WebSocketServer.
// (For HTTPS, pass an https.createServer({ cert, key }) instead: nothing else changes.)
//   pnpm run build && node examples/external-http-server.mjs
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('plain HTTP still works\n');
  });
  // Node's defaults already drop clients that never finish their request head; keep them short.
  server.headersTimeout = 10_000;
  server.requestTimeout = 20_000;
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    ws.on('error', console.error);
    ws.send(`hello ${req.socket.remoteAddress}`);
  });
  server.listen(port, host);
  await new Promise((resolve) => server.once('listening', resolve));
  const { port: bound } = server.address();
  return {
    url: `ws://${host}:${bound}`,
    httpUrl: `http://${host}:${bound}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url, httpUrl } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`HTTP on ${httpUrl}, WebSocket on ${url}`);
}
