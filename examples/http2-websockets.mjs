// WebSockets over HTTP/2 (RFC 8441) and HTTP/1.1 on one TLS port, with a client that opens
// many WebSockets over one HTTP/2 connection.
//   pnpm run build && node examples/http2-websockets.mjs cert.pem key.pem
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer, isHttp2Request } from '@sansock/node';

export async function start({ cert, key, port = 0 }) {
  const server = http2.createSecureServer({
    cert,
    key,
    allowHTTP1: true, // older clients upgrade over HTTP/1.1 on the same port
    settings: { enableConnectProtocol: true }, // RFC 8441 §3: lets clients send extended CONNECT
  });
  const wss = new WebSocketServer({ http2Server: server });
  wss.on('connection', (ws, req) => {
    const over = isHttp2Request(req) ? 'HTTP/2' : 'HTTP/1.1';
    ws.on('message', (data) => ws.send(`${over} echo: ${data}`));
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `wss://localhost:${server.address().port}`, wss, server };
}

/** Opens `count` WebSockets over one HTTP/2 connection, sends one message on each, resolves with the replies. */
export async function askOverHttp2(url, count, ca) {
  const sockets = Array.from({ length: count }, () => new WebSocket(url, { http2: true, ca }));
  const replies = await Promise.all(
    sockets.map(
      (ws, i) =>
        new Promise((resolve, reject) => {
          ws.on('error', reject);
          ws.on('open', () => ws.send(`hello ${i}`));
          ws.on('message', (data) => resolve(String(data)));
        }),
    ),
  );
  for (const ws of sockets) ws.close(); // the shared connection closes with the last one
  return replies;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [certFile, keyFile] = process.argv.slice(2);
  if (keyFile === undefined) {
    console.error('usage: node examples/http2-websockets.mjs <cert.pem> <key.pem>');
    process.exit(2);
  }
  const cert = readFileSync(certFile);
  const { url, server, wss } = await start({ cert, key: readFileSync(keyFile) });
  console.log(await askOverHttp2(url, 3, cert));
  wss.close();
  server.close();
}
