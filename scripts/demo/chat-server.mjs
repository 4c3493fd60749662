// The Quick start demo: a chat server on 127.0.0.1 built on @sansock/node. It serves a small
// page; every message a browser sends is broadcast to every connected browser.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from '@sansock/node';

const PAGE = fileURLToPath(new URL('./chat.html', import.meta.url));
const MAX_MESSAGE = 4096;

/** Starts the chat server; resolves with its URL and a close function. */
export async function startChat({ port = 0, host = '127.0.0.1' } = {}) {
  const page = await readFile(PAGE);
  const http = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  const wss = new WebSocketServer({ server: http, path: '/chat', maxPayload: MAX_MESSAGE, perMessageDeflate: true });
  let nextId = 1;

  const broadcast = (message) => {
    const data = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(data);
  };

  wss.on('connection', (ws) => {
    const name = `guest-${nextId++}`;
    ws.send(JSON.stringify({ from: 'server', text: `welcome, you are ${name}` }));
    broadcast({ from: 'server', text: `${name} joined (${wss.clients.size} here)` });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) broadcast({ from: name, text: data.toString() });
    });
    ws.on('close', () => broadcast({ from: 'server', text: `${name} left` }));
  });

  await new Promise((resolve) => http.listen(port, host, resolve));
  const address = http.address();
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => http.close(() => resolve()));
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const { url, close } = await startChat({ port }).catch(async (error) => {
    if (error.code !== 'EADDRINUSE') throw error;
    return startChat({ port: 0 }); // 8080 taken: any free port will do
  });
  console.log(`sansock chat demo: open ${url} in two browser tabs (Ctrl-C to stop)`);
  process.on('SIGINT', () => close().then(() => process.exit(0)));
}
