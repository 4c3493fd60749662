import type { ClosedEvent } from '../events.js';
import type { ProtocolError, WebSocketError } from '../errors.js';

/** Called once a write has reached the transport's underlying sink (or failed). */
export type WriteDone = (error?: Error | null) => void;

/**
 * What the driver needs from a byte stream (a TCP or TLS socket, a Deno.Conn, a test pipe).
 * The adapter implements it and calls the driver back with what the stream reports
 * (`receive`, `transportEnded`, `transportClosed`).
 */
export interface Transport {
  /**
   * Writes the chunks in order, as one batch if the runtime can (Node: cork/uncork). `done`, when
   * given, is called once the last chunk is flushed, or with an error if it never will be.
   * Writes complete in the order they were made (send callbacks rely on it).
   */
  write(chunks: readonly Uint8Array[], done: WriteDone | undefined): void;
  /** Ends our side after the queued writes (TCP FIN). */
  end(): void;
  /** Drops the stream at once; the adapter must then call `transportClosed()` (soon, not necessarily now). */
  destroy(): void;
  /** Stops reading, so the peer's window fills up (real backpressure). */
  pause(): void;
  /** Reads again; cheap when already reading (called whenever the core needs data). */
  resume(): void;
  /** False once writes can no longer succeed (ended or destroyed): output is then dropped. */
  readonly writable: boolean;
  /** Bytes accepted by `write` and not yet flushed. */
  readonly bufferedAmount: number;
  /**
   * Bytes the stream still holds because reading was paused, one chunk per call, null when none
   * is left. Called when the stream has closed: they are still part of the conversation.
   */
  readBuffered?(): Uint8Array | null;
}

/** Opaque timer handle returned by `Clock.setTimer`; never `undefined`. */
export type TimerHandle = unknown;

/** Time and scheduling, injected so the driver stays free of runtime APIs. */
export interface Clock {
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  clearTimer(timer: TimerHandle): void;
  /**
   * Calls `callback(arg)` after the current code and before more I/O (Node: its next-tick queue,
   * elsewhere queueMicrotask). Send callbacks go through it so they never run inside `send()`.
   */
  soon<A>(callback: (arg: A) => void, arg: A): void;
  /**
   * Calls `callback` after pending I/O (Node: setImmediate, elsewhere setTimeout 0). Paces
   * events when `allowSynchronousEvents` is false.
   */
  later(callback: () => void): void;
  /**
   * Milliseconds on a clock that never goes back (a monotonic one, not the wall clock). Read once
   * per received chunk, and only with the driver's `keepAlive` option, which needs it.
   */
  now?(): number;
}

/** Where the driver hands what happened; the facade turns these into its API's events. */
export interface DriverEvents {
  /** A complete data message (RFC 6455 §6.2). */
  onMessage(data: Uint8Array, binary: boolean): void;
  /**
   * A piece of a data message, only with the core's `deliverFragments` option (WebSocket-Node's
   * `assembleFragments: false`). `first`/`fin` mark the message's first and last piece,
   * `frameEnd` the last piece of a frame on the wire.
   */
  onFragment?(data: Uint8Array, binary: boolean, first: boolean, fin: boolean, frameEnd: boolean): void;
  /** A ping arrived (already answered when `autoPong` is on). */
  onPing(data: Uint8Array): void;
  onPong(data: Uint8Array): void;
  /** The connection failed (§7.1.7); reported once, `onClosed` follows. */
  onError(error: ProtocolError | WebSocketError): void;
  /**
   * A send returned false (`bufferedAmount` was past the send high-water mark) and the amount
   * is now back at or below it: sending may go on. Once per such `false`, never after `onClosed`.
   */
  onDrain?(): void;
  /** The last call: the transport is gone (§7.1.4); pending send callbacks have been failed. */
  onClosed(event: ClosedEvent): void;
  /** The keep-alive's peer stayed silent past its timeout; the transport is dropped next (`onClosed`: 1006). */
  onKeepAliveTimeout?(): void;
}
