/**
 * @sansock/node: WebSockets for Node.js on the sansock core, a drop-in replacement for `ws`.
 *
 *   import WebSocket, { WebSocketServer, createWebSocketStream } from '@sansock/node';
 */
import { createWebSocketStream } from './stream.js';
import { WebSocketServer } from './server.js';
import { WebSocket as WebSocketClass } from './websocket.js';

/**
 * `ws` hangs everything off the WebSocket class too (`WebSocket.WebSocketServer`, ...). They
 * are typed here, not in websocket.ts, which would otherwise import server.ts and stream.ts
 * (both import it).
 */
export interface WebSocketStatics {
  WebSocket: typeof WebSocketClass & WebSocketStatics;
  WebSocketServer: typeof WebSocketServer;
  /** `ws`'s older name for WebSocketServer (`new WebSocket.Server(...)`). */
  Server: typeof WebSocketServer;
  createWebSocketStream: typeof createWebSocketStream;
}

const WebSocket = WebSocketClass as typeof WebSocketClass & WebSocketStatics;
type WebSocket = WebSocketClass;
WebSocket.WebSocket = WebSocket;
WebSocket.WebSocketServer = WebSocketServer;
WebSocket.Server = WebSocketServer;
WebSocket.createWebSocketStream = createWebSocketStream;

export default WebSocket;
export { WebSocket, WebSocketServer, createWebSocketStream };
export { CloseEvent, ErrorEvent, Event, MessageEvent } from './event-target.js';
export type { EventListenerLike, WebSocketEventTypes } from './event-target.js';
export type { ClientOptions } from './websocket.js';
export type { SendCallback, SendOptions, WebSocketEvents, WebSocketOptions } from './types.js';
export type {
  ServerOptions,
  VerifyClientCallbackAsync,
  VerifyClientCallbackSync,
  VerifyClientInfo,
  WebSocketServerEvents,
} from './server.js';
export type { BinaryType, RawData, Sendable } from './data.js';
export type { PerMessageDeflateOptions } from './extension-factories.js';
export type { ProxyConfig, ProxyOption } from './proxy/options.js';
export { CLOSE_TIMEOUT } from './constants.js';
/** The native helpers (bufferutil masking, buffer.isUtf8) @sansock/node hands the core, for your own core-based transports. */
export { accelerators as nodeAccelerators } from './accelerators.js';
export { SERVER_CONNECTIONS_CHECKING_INTERVAL, SERVER_HEADERS_TIMEOUT, SERVER_REQUEST_TIMEOUT } from './server.js';
