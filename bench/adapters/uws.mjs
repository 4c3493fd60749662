/**
 * uWebSockets.js (µWS, C++), server only: it has no client. The npm build for Node 20 is
 * `@trufflesuite/uws-js-unofficial`; its package entry silently falls back to a JavaScript
 * emulation (on ws) when the native binary does not load, so this adapter loads the `.node`
 * binary for this platform and Node ABI directly: if that fails the library is `unavailable`,
 * never quietly measured as something else. `native` says which one runs (always true here).
 *
 * µWS calls one set of handlers for every socket, so each socket keeps its listener in its
 * user data. An ArrayBuffer handed to `message` is valid only during the call, as µWS documents:
 * echoing it at once (as the servers here do) is allowed; keeping it would need a copy.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TOPIC = 'all';

let uws;
export let native = false;

export async function load() {
  const packageDir = require.resolve('@trufflesuite/uws-js-unofficial/package.json').replace(/package\.json$/, '');
  const binary = `${packageDir}binaries/uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
  uws = require(binary); // throws (→ unavailable) where no binary fits this platform and Node ABI
  // The JavaScript fallback's App is a JavaScript function; the binary's is native code.
  if (typeof uws.App !== 'function' || !Function.prototype.toString.call(uws.App).includes('[native code]')) {
    throw new Error(`${binary} is not the native µWS module`);
  }
  native = true;
}

function wrap(ws, app, compress) {
  return {
    // µWS compresses a message only when asked to (its third argument).
    send: (data, binary) => ws.send(data, binary, compress),
    onMessage: (callback) => {
      ws.getUserData().onMessage = callback;
    },
    subscribe: () => ws.subscribe(TOPIC),
    extensions: '',
    terminate: () => ws.close(),
    app,
  };
}

/**
 * `perMessageDeflate`: false, or true for µWS's own choice of compressor (a dedicated 4 KiB
 * window with context takeover, its cheaper settings: reported separately from ws/sansock).
 */
export async function createServer({ perMessageDeflate = false, maxPayload = 64 * 1024 * 1024 } = {}) {
  let onConnection = () => {};
  const app = uws.App();
  app.ws('/*', {
    compression: perMessageDeflate ? uws.DEDICATED_COMPRESSOR_4KB | uws.DEDICATED_DECOMPRESSOR : uws.DISABLED,
    maxPayloadLength: maxPayload,
    idleTimeout: 0,
    // The default (64 KiB) makes send() drop messages once a slow reader is that far behind;
    // the other servers queue without a limit, so this one does too.
    maxBackpressure: 2 ** 31 - 1,
    upgrade: (res, req, context) => {
      res.upgrade(
        { onMessage: () => {} },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open: (ws) => onConnection(wrap(ws, app, !!perMessageDeflate)),
    message: (ws, message, isBinary) => ws.getUserData().onMessage(message, isBinary),
  });
  const listenSocket = await new Promise((resolve, reject) => {
    app.listen('127.0.0.1', 0, (socket) => (socket ? resolve(socket) : reject(new Error('µWS could not listen'))));
  });
  return {
    port: uws.us_socket_local_port(listenSocket),
    onConnection: (handler) => {
      onConnection = handler;
    },
    /** One frame built (and compressed) once, written to every subscriber of the topic. */
    publish: (data, binary) => app.publish(TOPIC, data, binary, !!perMessageDeflate),
    close: () => uws.us_listen_socket_close(listenSocket),
  };
}
