/**
 * The ES module entry (copied to dist/index.js by tsup.config.ts): a thin wrapper over the
 * CommonJS build, so `import` and `require` share ONE copy of the library (and of
 * @sansock/core): `require('@sansock/node') === (await import('@sansock/node')).default`,
 * `instanceof` works across both, and a subclass defined in ES module code can be handed to a
 * server created by CommonJS code. Its typings are dist/index.d.ts, generated from index.ts;
 * test/package-entry-points.test.ts checks that this list matches the CommonJS entry's.
 */
import sansock from './index.cjs';

export default sansock;
export const {
  WebSocket,
  WebSocketServer,
  createWebSocketStream,
  WebSocketStream,
  WebSocketError,
  CloseEvent,
  ErrorEvent,
  Event,
  MessageEvent,
  CLOSE_TIMEOUT,
  SERVER_CONNECTIONS_CHECKING_INTERVAL,
  SERVER_HEADERS_TIMEOUT,
  SERVER_REQUEST_TIMEOUT,
  nodeAccelerators,
  ConnectProtocolUnsupportedError,
  isHttp2Request,
} = sansock;
