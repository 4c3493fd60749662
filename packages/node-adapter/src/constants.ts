/** Shared constants and the internal hooks other modules of this package call on a WebSocket. */

/** How long to wait for the peer's side of the closing handshake before destroying the socket (ms), like `ws`. */
export const CLOSE_TIMEOUT = 30_000;
/** `ws`'s default: at most this many automatic pongs may wait to be written before the peer is cut off. */
export const MAX_PENDING_AUTO_PONGS = 60;

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;
export const READY_STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

/** Internal: binds an upgraded socket (server side, or the client after its handshake). */
export const kSetSocket = Symbol('sansock.setSocket');
/** Internal: fails a connection that never opened (error, then close). */
export const kEmitErrorAndClose = Symbol('sansock.emitErrorAndClose');
/** Internal: client handshake state the WebSocket needs (url, abort). */
export const kClientHandshake = Symbol('sansock.clientHandshake');
/** Internal: the client handshake records the URL it connects to (it changes on redirects). */
export const kSetUrl = Symbol('sansock.setUrl');
/** Internal: whether both close frames were exchanged (CloseEvent.wasClean). */
export const kWasClean = Symbol('sansock.wasClean');
/** Internal: writes what a listener sent to this socket once the outermost listener returns. */
export const kFlushQueued = Symbol('sansock.flushQueued');
/** Internal: the WebSocket a socket carries, and the socket events it handles. */
export const kWebSocket = Symbol('sansock.websocket');
export const kOnSocketData = Symbol('sansock.onSocketData');
export const kOnSocketEnd = Symbol('sansock.onSocketEnd');
export const kOnSocketClose = Symbol('sansock.onSocketClose');
