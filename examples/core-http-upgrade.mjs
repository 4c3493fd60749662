// A Node http server taking WebSocket upgrades with @sansock/core alone (no @sansock/node): the
// request is checked where Node parsed it (rawHeaders, not copied), the accept key comes from
// node:crypto (the core's own SHA-1 is pure TypeScript), and the 101 is one string. Echoes text.
//   pnpm run build && node examples/core-http-upgrade.mjs
import { createHash } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { Connection, HandshakeError, HeaderList, createAcceptLines, createRejectResponse, validateClientRequest } from '@sansock/core';

/** base64(SHA-1(text)) from OpenSSL: the core's `Sha1Base64`, injected. */
const sha1Base64 = (text) => createHash('sha1').update(text, 'latin1').digest('base64');

const sockets = new Set();

function onUpgrade(req, socket, head) {
  const request = validateClientRequest(
    { method: req.method, target: req.url, httpVersion: req.httpVersion, headers: HeaderList.fromRaw(req.rawHeaders) },
    { sha1Base64 },
  );
  if (request instanceof HandshakeError) {
    socket.end(createRejectResponse(request.status ?? 400, { message: request.message, headers: request.headers }));
    return;
  }
  socket.write(`${createAcceptLines(request, { sha1Base64 }).join('\r\n')}\r\n\r\n`);

  sockets.add(socket);
  const conn = new Connection({ role: 'server' });
  const pump = () => {
    let end = false;
    // nextEvent() returns an event object, or a symbol (NEED_DATA...) when there is none.
    for (let event = conn.nextEvent(); typeof event === 'object'; event = conn.nextEvent()) {
      if (event.type === 'message') conn.send(event.binary ? event.data : `echo: ${new TextDecoder().decode(event.data)}`);
      else if (event.type === 'close-transport') end = true; // after the output (our close frame)
    }
    for (const chunk of conn.takeOutput()) socket.write(chunk);
    if (end) socket.end();
  };
  socket.on('data', (bytes) => {
    conn.receiveData(bytes);
    pump();
  });
  socket.on('close', () => {
    sockets.delete(socket);
    conn.receiveData(null);
    pump();
  });
  socket.on('error', () => socket.destroy());
  if (head.length > 0) socket.emit('data', head);
}

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', onUpgrade);
  server.listen(port, host);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `ws://${host}:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        // Upgraded sockets are no longer the http server's: destroy them ourselves.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`echoing on ${url}`);
}
