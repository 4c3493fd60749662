/**
 * @sansock/node/websocket-node: a drop-in for the `websocket` package (WebSocket-Node 1.0.35).
 * `require('@sansock/node/websocket-node')` has its module shape: { server, client, router, frame,
 * request, connection, w3cwebsocket, deprecation, version }.
 */
import { WebSocketClient } from './client.js';
import { WebSocketConnection } from './connection.js';
import { deprecation } from './deprecation.js';
import { WebSocketFrame } from './frame.js';
import { WebSocketRequest } from './request.js';
import { WebSocketRouter } from './router.js';
import { WebSocketServer } from './server.js';
import { W3CWebSocket } from './w3c-websocket.js';

/** The WebSocket-Node version whose API this entry reproduces. */
export const version = '1.0.35';

export {
  WebSocketServer as server,
  WebSocketClient as client,
  WebSocketRouter as router,
  WebSocketRequest as request,
  WebSocketConnection as connection,
  WebSocketFrame as frame,
  W3CWebSocket as w3cwebsocket,
  deprecation,
};
export {
  WebSocketServer,
  WebSocketClient,
  WebSocketRouter,
  WebSocketRequest,
  WebSocketConnection,
  WebSocketFrame,
  W3CWebSocket,
};
export { WebSocketRouterRequest } from './router-request.js';
export type { WebSocketRouterRequest as IRouterRequest } from './router-request.js';
export type { RouteHandler as IRouterHandler } from './router.js';
export type { Stringified as IStringified } from './connection.js';
export type { IServerConfig, IClientConfig, ConnectionConfig, ConnectionConfig as IConfig } from './config.js';
export type { IUtf8Message, IBinaryMessage, Message, ConnectionState } from './connection.js';
export type { ICookie, IRequestCookie } from './cookies.js';
export type { IExtension, IExtensionParameter } from './requested-extensions.js';
export type { IMessageEvent, ICloseEvent } from './w3c-websocket.js';
export type { IRouterConfig } from './router.js';

/** In the real package's key order, for code that lists them. */
const websocket = {
  server: WebSocketServer,
  client: WebSocketClient,
  router: WebSocketRouter,
  frame: WebSocketFrame,
  request: WebSocketRequest,
  connection: WebSocketConnection,
  w3cwebsocket: W3CWebSocket,
  deprecation,
  version,
};
/** `import websocket from '@sansock/node/websocket-node'`, as `import websocket from 'websocket'` gives module.exports. */
export default websocket;
