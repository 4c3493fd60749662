/**
 * Bun's own WebSocket server: `Bun.serve` with a `websocket` handler (uWebSockets inside).
 * Server only (bench/bun.mjs runs it under Bun; the clients are the raw byte-counting ones).
 * Bun calls one set of handlers for every socket, so each socket keeps its listener in `ws.data`.
 */
export async function load() {
  if (typeof globalThis.Bun?.serve !== 'function') throw new Error('Bun.serve exists only under Bun');
}

function wrap(ws) {
  return {
    send: (data, binary) => ws.send(binary ? data : String(data)),
    onMessage: (callback) => {
      ws.data.onMessage = callback;
    },
    get extensions() {
      return ws.extensions ?? '';
    },
    terminate: () => ws.terminate(),
  };
}

export async function createServer({ perMessageDeflate = false, maxPayload = 64 * 1024 * 1024 } = {}) {
  let onConnection = () => {};
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request, server) {
      if (server.upgrade(request, { data: { onMessage: () => {} } })) return undefined;
      return new Response('WebSocket only', { status: 426 });
    },
    websocket: {
      perMessageDeflate,
      maxPayloadLength: maxPayload,
      // The default (16 MiB) would make send() drop messages once a slow reader is that far
      // behind; the other servers queue without a limit, so this one does too.
      backpressureLimit: 2 ** 31 - 1,
      open: (ws) => onConnection(wrap(ws)),
      message: (ws, message) => ws.data.onMessage(message, typeof message !== 'string'),
    },
  });
  return {
    port: server.port,
    onConnection: (handler) => {
      onConnection = handler;
    },
    close: () => server.stop(true),
  };
}
