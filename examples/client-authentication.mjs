// Authenticating clients during the upgrade: the HTTP 'upgrade' handler checks credentials
// (here a bearer token) before handing the socket to the WebSocketServer.
//   pnpm run build && node examples/client-authentication.mjs
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

/** Stand-in for a real lookup (session store, JWT verification...). */
function authenticate(request) {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return token === 'let-me-in' ? { name: 'alice' } : null;
}

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true });

  wss.on('connection', (ws, request, user) => {
    ws.on('error', console.error);
    ws.on('message', (data) => ws.send(`${user.name}: ${data}`));
  });

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', console.error);
    const user = authenticate(request);
    if (user === null) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, user));
  });

  server.listen(port, host);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `ws://${host}:${server.address().port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`connect to ${url} with "Authorization: Bearer let-me-in"`);
}
