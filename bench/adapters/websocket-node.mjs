/** websocket (WebSocket-Node): request/accept on the server, WebSocketClient on the client. */
import http from 'node:http';
import { once } from 'node:events';

let lib;

export async function load(moduleName) {
  const mod = await import(moduleName);
  lib = mod.default ?? mod;
  if (typeof lib?.server !== 'function' || typeof lib?.client !== 'function') {
    throw new Error(`${moduleName} has no server / client`);
  }
}

function wrap(connection) {
  return {
    send: (data, binary) => (binary ? connection.sendBytes(data) : connection.sendUTF(data)),
    onMessage: (callback) =>
      connection.on('message', (message) =>
        message.type === 'utf8' ? callback(message.utf8Data, false) : callback(message.binaryData, true),
      ),
    extensions: '',
    terminate: () => connection.drop(),
  };
}

// Its defaults refuse frames over 1 MiB and messages over 8 MiB; the large-message scenario needs 16 MiB.
const limits = (maxPayload) => ({ maxReceivedFrameSize: maxPayload, maxReceivedMessageSize: maxPayload });

export async function createServer({ perMessageDeflate = false, maxPayload = 64 * 1024 * 1024 } = {}) {
  if (perMessageDeflate) throw new Error('websocket (WebSocket-Node) does not implement permessage-deflate');
  const httpServer = http.createServer();
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const server = new lib.server({ httpServer, autoAcceptConnections: false, ...limits(maxPayload) });
  let handler = () => {};
  server.on('request', (request) => handler(wrap(request.accept(null, request.origin))));
  return {
    port: httpServer.address().port,
    onConnection: (h) => {
      handler = h;
    },
    close: () => {
      server.shutDown();
      httpServer.close();
    },
  };
}

export function connect(port, { maxPayload = 64 * 1024 * 1024 } = {}) {
  return new Promise((resolve, reject) => {
    const client = new lib.client(limits(maxPayload));
    client.on('connect', (connection) => {
      connection.on('error', () => {});
      resolve(wrap(connection));
    });
    client.on('connectFailed', reject);
    client.connect(`ws://127.0.0.1:${port}/`);
  });
}
