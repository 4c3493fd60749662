// Several WebSocketServers on one HTTP server, routed by path (noServer + handleUpgrade).
//   pnpm run build && node examples/multiple-servers.mjs
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer();
  const chat = new WebSocketServer({ noServer: true });
  const news = new WebSocketServer({ noServer: true });
  chat.on('connection', (ws) => ws.send('welcome to /chat'));
  news.on('connection', (ws) => ws.send('welcome to /news'));

  server.on('upgrade', (request, socket, head) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const target = pathname === '/chat' ? chat : pathname === '/news' ? news : null;
    if (target === null) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    target.handleUpgrade(request, socket, head, (ws) => target.emit('connection', ws, request));
  });

  server.listen(port, host);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `ws://${host}:${server.address().port}`,
    close: async () => {
      for (const wss of [chat, news]) {
        for (const client of wss.clients) client.terminate();
        await new Promise((resolve) => wss.close(() => resolve()));
      }
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`${url}/chat and ${url}/news`);
}
