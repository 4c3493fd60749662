/**
 * ws and every library with ws's API (@sansock/node is a drop-in): WebSocket and
 * WebSocketServer, 'message' events with (data, isBinary), send(data, { binary }).
 */
import { once } from 'node:events';

let lib;

export async function load(moduleName) {
  const mod = await import(moduleName);
  const WebSocket = mod.WebSocket ?? mod.default;
  const WebSocketServer = mod.WebSocketServer ?? mod.default?.WebSocketServer ?? mod.default?.Server;
  if (typeof WebSocket !== 'function' || typeof WebSocketServer !== 'function') {
    throw new Error(`${moduleName} exports no WebSocket / WebSocketServer`);
  }
  lib = { WebSocket, WebSocketServer };
}

const TOPIC = 'all';

function wrap(ws) {
  return {
    // The topic API (sansock's `ws.subscribe(topic)`), where the library has one.
    subscribe: () => ws.subscribe(TOPIC),
    send: (data, binary) => ws.send(data, { binary }),
    onMessage: (callback) => ws.on('message', callback),
    get extensions() {
      return ws.extensions ?? '';
    },
    terminate: () => ws.terminate(),
  };
}

export async function createServer({ perMessageDeflate = false, maxPayload = 64 * 1024 * 1024 } = {}) {
  const server = new lib.WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate, maxPayload });
  await once(server, 'listening');
  return {
    port: server.address().port,
    onConnection: (handler) => server.on('connection', (ws) => handler(wrap(ws))),
    // One frame per publish, written to every subscriber (sansock's `wss.publish(topic, data)`);
    // feature-detected, so ws (which has none) and older builds get the broadcast loop.
    publish:
      typeof server.publish === 'function' && typeof lib.WebSocket.prototype.subscribe === 'function'
        ? (data) => server.publish(TOPIC, data)
        : undefined,
    close: () => server.close(),
  };
}

export function connect(port, { perMessageDeflate = false, maxPayload = 64 * 1024 * 1024 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new lib.WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate, maxPayload });
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {}); // errors after open end the run through the parent's timeout
      resolve(wrap(ws));
    });
    ws.once('error', reject);
  });
}
