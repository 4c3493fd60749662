/**
 * Typings of the CommonJS entry (copied to dist/websocket-node.d.cts by tsup.config.ts):
 * `require('@sansock/node/websocket-node')` is WebSocket-Node's module object. Every type comes
 * from the ES module typings (dist/websocket-node.d.ts), so the two cannot drift apart; each
 * class is exported as a value and as a type under WebSocket-Node's name, as `@types/websocket`
 * does (`import { server, connection } from ...`, then `conn: connection`).
 */
import type * as Types from './websocket-node.js' with { 'resolution-mode': 'import' };

type Values = typeof import('./websocket-node.js', { with: { 'resolution-mode': 'import' } });

export declare const server: Values['server'];
export type server = Types.WebSocketServer;
export declare const client: Values['client'];
export type client = Types.WebSocketClient;
export declare const router: Values['router'];
export type router = Types.WebSocketRouter;
export declare const request: Values['request'];
export type request = Types.WebSocketRequest;
export declare const connection: Values['connection'];
export type connection = Types.WebSocketConnection;
export declare const frame: Values['frame'];
export type frame = Types.WebSocketFrame;
export declare const w3cwebsocket: Values['w3cwebsocket'];
export type w3cwebsocket = Types.W3CWebSocket;
export declare const deprecation: Values['deprecation'];
export declare const version: string;

export type {
  ConnectionConfig,
  ConnectionState,
  IBinaryMessage,
  IClientConfig,
  ICloseEvent,
  IConfig,
  ICookie,
  IExtension,
  IExtensionParameter,
  IMessageEvent,
  IRequestCookie,
  IRouterConfig,
  IRouterHandler,
  IRouterRequest,
  IStringified,
  IServerConfig,
  IUtf8Message,
  Message,
  WebSocketRouterRequest,
} from './websocket-node.js' with { 'resolution-mode': 'import' };
