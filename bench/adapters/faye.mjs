/** faye-websocket: an http server's 'upgrade' event hands the socket to faye's WebSocket. */
import http from 'node:http';
import { once } from 'node:events';

let WebSocket;

export async function load(moduleName) {
  const mod = await import(moduleName);
  WebSocket = mod.default ?? mod;
  if (typeof WebSocket?.Client !== 'function') throw new Error(`${moduleName} has no WebSocket.Client`);
}

// faye delivers text as a string and binary as a Buffer, and send() picks the type from that.
function wrap(ws) {
  return {
    send: (data) => ws.send(data),
    onMessage: (callback) => ws.on('message', (event) => callback(event.data, typeof event.data !== 'string')),
    extensions: '',
    terminate: () => ws.close(),
  };
}

export async function createServer({ perMessageDeflate = false, maxPayload = 64 * 1024 * 1024 } = {}) {
  if (perMessageDeflate) throw new Error('faye-websocket needs the permessage-deflate package for compression');
  const server = http.createServer();
  let handler = () => {};
  server.on('upgrade', (request, socket, body) => {
    if (!WebSocket.isWebSocket(request)) return socket.destroy();
    handler(wrap(new WebSocket(request, socket, body, [], { maxLength: maxPayload })));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: server.address().port,
    onConnection: (h) => {
      handler = h;
    },
    close: () => server.close(),
  };
}

export function connect(port, { maxPayload = 64 * 1024 * 1024 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket.Client(`ws://127.0.0.1:${port}/`, [], { maxLength: maxPayload });
    ws.on('open', () => resolve(wrap(ws)));
    ws.on('error', (event) => reject(new Error(event.message ?? 'faye client error')));
  });
}
