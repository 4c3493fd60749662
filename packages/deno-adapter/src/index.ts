/**
 * @sansock/deno: WebSockets for Deno on the sansock core, over Deno.connect / Deno.listen (TCP
 * and TLS). A WHATWG-shaped client and server socket, `serve()` and `upgrade()`.
 */
export { WebSocket, WebSocketClosedError } from './websocket.js';
export type { AcceptedConnection, BinaryType, WebSocketOptions } from './websocket.js';
export { DEFAULT_SERVER_HANDSHAKE_TIMEOUT, upgrade } from './server-upgrade.js';
export type { UpgradeOptions, UpgradeRequest, Verdict } from './server-upgrade.js';
export { serve } from './serve.js';
export type { ServeOptions, WebSocketServer } from './serve.js';
export type { MessageData } from './message-iterator.js';
export type { PerMessageDeflateOptions } from './permessage-deflate.js';
export type { ClientHandshakeOptions } from './client-connect.js';
export type { ConnectionOptions } from './session.js';
export type { DenoAddr, DenoConn, DenoListener, TlsClientOptions } from './deno-api.js';
