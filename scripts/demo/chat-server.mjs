// The Quick start demo: a chat server on 127.0.0.1 built on @sansock/node. It serves a small
// page; every message a browser sends is broadcast to every connected browser.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from '@sansock/node';

const PAGE = fileURLToPath(new URL('./chat.html', import.meta.url));
const MAX_MESSAGE = 4096;

/**
 * Starts the chat server; resolves with its URL and a close function. What clients do wrong
 * (a message over MAX_MESSAGE, invalid UTF-8, a broken handshake) is logged with `log` and
 * costs only that client its connection: the server keeps serving everyone else.
 */
export async function startChat({ port = 0, host = '127.0.0.1', log = console.error } = {}) {
  const page = await readFile(PAGE);
  const http = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  // A malformed or abandoned HTTP request: answer 400 if the socket still can, and move on.
  http.on('clientError', (error, socket) => {
    log(`http client error: ${error.code ?? error.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ server: http, path: '/chat', maxPayload: MAX_MESSAGE, perMessageDeflate: true });
  wss.on('error', (error) => log(`server error: ${error.message}`));
  let nextId = 1;

  const broadcast = (message) => {
    const data = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(data);
  };

  wss.on('connection', (ws) => {
    const name = `guest-${nextId++}`;
    // Without an 'error' listener a protocol error (1009 message too big, 1007 invalid UTF-8)
    // would be thrown and end the process; the socket closes itself with the right code.
    ws.on('error', (error) => log(`${name}: ${error.code ?? 'error'}: ${error.message}`));
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

/** `--port N` or PORT=N; 8080 by default, and 0 means any free port. */
function portFromCommandLine() {
  const flag = process.argv.indexOf('--port');
  const value = flag >= 0 ? process.argv[flag + 1] : process.env.PORT;
  return value === undefined ? undefined : Number(value);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chosen = portFromCommandLine();
  const { url, close } = await startChat({ port: chosen ?? 8080 }).catch(async (error) => {
    if (error.code !== 'EADDRINUSE' || chosen !== undefined) throw error;
    return startChat({ port: 0 }); // 8080 taken: any free port will do
  });
  console.log(`sansock chat demo: open ${url} in two browser tabs (Ctrl-C to stop)`);
  process.on('SIGINT', () => close().then(() => process.exit(0)));
}
