/**
 * Typings of the CommonJS entry (copied to dist/index.d.cts by tsup.config.ts):
 * `require('@sansock/node')` is the WebSocket class, as `require('ws')` is, with every named
 * export of the ES module entry hung on it. All types come from the ES module typings
 * (dist/index.d.ts), so the two cannot drift apart.
 *
 *   import WebSocket = require('@sansock/node');
 *   const wss = new WebSocket.WebSocketServer({ port: 8080 });
 *   wss.on('connection', (ws: WebSocket) => ws.send('hi'));
 */
// The ES module typings, loaded as such (TypeScript ≥ 5.3: `resolution-mode`).
import type * as Types from './index.js' with { 'resolution-mode': 'import' };

type Values = typeof import('./index.js', { with: { 'resolution-mode': 'import' } });

declare const WebSocketClass: Values['WebSocket'];

/** The same class as the ES module's `WebSocket` (the declaration only gives it the CommonJS shape). */
declare class WebSocket extends WebSocketClass {
  /** The class itself, for code compiled from `import WebSocket from '@sansock/node'`. */
  static readonly default: typeof WebSocket;
}

declare namespace WebSocket {
  // WebSocket, WebSocketServer, Server and createWebSocketStream are statics of the class
  // (inherited above); here they only need their type meaning.
  type WebSocket = Types.WebSocket;
  type WebSocketServer<T extends Types.WebSocket = Types.WebSocket> = Types.WebSocketServer<T>;
  type Server<T extends Types.WebSocket = Types.WebSocket> = Types.WebSocketServer<T>;

  const Event: Values['Event'];
  type Event = Types.Event;
  const CloseEvent: Values['CloseEvent'];
  type CloseEvent = Types.CloseEvent;
  const ErrorEvent: Values['ErrorEvent'];
  type ErrorEvent = Types.ErrorEvent;
  const MessageEvent: Values['MessageEvent'];
  type MessageEvent = Types.MessageEvent;

  const CLOSE_TIMEOUT: Values['CLOSE_TIMEOUT'];
  const SERVER_HEADERS_TIMEOUT: Values['SERVER_HEADERS_TIMEOUT'];
  const SERVER_REQUEST_TIMEOUT: Values['SERVER_REQUEST_TIMEOUT'];
  const SERVER_CONNECTIONS_CHECKING_INTERVAL: Values['SERVER_CONNECTIONS_CHECKING_INTERVAL'];
  const nodeAccelerators: Values['nodeAccelerators'];

  type BinaryType = Types.BinaryType;
  type ClientOptions = Types.ClientOptions;
  type EventListenerLike<E extends Types.Event = Types.Event> = Types.EventListenerLike<E>;
  type PerMessageDeflateOptions = Types.PerMessageDeflateOptions;
  type ProxyConfig = Types.ProxyConfig;
  type ProxyOption = Types.ProxyOption;
  type RawData = Types.RawData;
  type SendCallback = Types.SendCallback;
  type SendOptions = Types.SendOptions;
  type Sendable = Types.Sendable;
  type ServerOptions<T extends Types.WebSocket = Types.WebSocket> = Types.ServerOptions<T>;
  type VerifyClientCallbackAsync = Types.VerifyClientCallbackAsync;
  type VerifyClientCallbackSync = Types.VerifyClientCallbackSync;
  type VerifyClientInfo = Types.VerifyClientInfo;
  type WebSocketEventTypes = Types.WebSocketEventTypes;
  type WebSocketEvents = Types.WebSocketEvents;
  type WebSocketOptions = Types.WebSocketOptions;
  type WebSocketServerEvents<T extends Types.WebSocket = Types.WebSocket> = Types.WebSocketServerEvents<T>;
}

export = WebSocket;
