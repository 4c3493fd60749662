import type { ProtocolError, WebSocketError } from './errors.js';

/** A complete data message (RFC 6455 §6.2). Text arrives as validated UTF-8 bytes. */
export interface MessageEvent {
  readonly type: 'message';
  readonly data: Uint8Array;
  readonly binary: boolean;
}

/**
 * A piece of a data message, when the connection delivers fragments instead of whole messages.
 * `first` marks a message's first piece, `fin` its last; text pieces may split a code point.
 */
export interface FragmentEvent {
  readonly type: 'fragment';
  readonly data: Uint8Array;
  readonly binary: boolean;
  readonly first: boolean;
  readonly fin: boolean;
  /** The piece completes a frame on the wire (a frame arriving over several reads comes in several pieces). */
  readonly frameEnd: boolean;
}

export interface PingEvent {
  readonly type: 'ping';
  readonly data: Uint8Array;
}

export interface PongEvent {
  readonly type: 'pong';
  readonly data: Uint8Array;
}

/** The peer's close frame arrived (§5.5.1). `code` is 1005 when it carried none. */
export interface CloseEvent {
  readonly type: 'close';
  readonly code: number;
  readonly reason: string;
}

/**
 * The connection failed (§7.1.7): the peer broke the protocol (a ProtocolError carrying the
 * close code that was sent) or an extension's codec failed (close code 1011).
 */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: ProtocolError | WebSocketError;
}

/**
 * Directive: start the close timeout now. The adapter owns the timer; when it fires, it
 * destroys the transport and calls `receiveData(null)`. Emitted once, when this side is waiting
 * for the peer (its close frame, or for a client, the server's TCP close, §7.1.1).
 */
export interface StartCloseTimerEvent {
  readonly type: 'start-close-timer';
}

/**
 * Directive: close the transport once the pending output is written (§7.1.1: the server
 * closes the TCP connection first; §7.1.7: a failed connection is closed by whoever failed it).
 */
export interface CloseTransportEvent {
  readonly type: 'close-transport';
}

/**
 * The last event: the transport is gone (§7.1.4). `code`/`reason` come from the peer's close
 * frame, or 1006 when none arrived (§7.1.5). `wasClean` is true when both close frames were
 * exchanged. `error` is what failed the connection, if anything did.
 */
export interface ClosedEvent {
  readonly type: 'closed';
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  readonly error: ProtocolError | WebSocketError | undefined;
}

export type ConnectionEvent =
  | MessageEvent
  | FragmentEvent
  | PingEvent
  | PongEvent
  | CloseEvent
  | ErrorEvent
  | StartCloseTimerEvent
  | CloseTransportEvent
  | ClosedEvent;

/** `nextEvent()`: nothing to report until more bytes arrive. */
export const NEED_DATA: unique symbol = Symbol('NEED_DATA');
/** `nextEvent()`: waiting for an asynchronous extension codec; `onWake` fires when it settles. */
export const PENDING: unique symbol = Symbol('PENDING');
/** `nextEvent()`: the `closed` event was delivered; nothing will ever follow. */
export const DONE: unique symbol = Symbol('DONE');

export type NoEvent = typeof NEED_DATA | typeof PENDING | typeof DONE;
