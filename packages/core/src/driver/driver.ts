import { Connection, type SendOptions } from '../connection.js';
import { ConnectionState } from '../connection-state.js';
import { type ClosedEvent, type ConnectionEvent, DONE, NEED_DATA, PENDING } from '../events.js';
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_PENDING_AUTO_PONGS, type DriverOptions } from './driver-options.js';
import { type QueuedWriter, enter, isDelivering, leave, queue } from './flush-scope.js';
import { type AsyncSendKind, HeldSends } from './held-sends.js';
import { DEFAULT_SEND_HIGH_WATER_MARK, type HighWaterOwner, SendHighWater } from './high-water.js';
import { CLOSED_WHILE_COMPRESSING, type SendCallback, SendCallbacks } from './send-callbacks.js';
import { WebSocketError } from '../errors.js';
import { KeepAlive } from './keep-alive.js';
import { type PingWaitOptions, type PongCallback, PongWaiters } from './pong-waiters.js';
import type { Clock, DriverEvents, Transport } from './transport.js';
import { TransportLifecycle } from './transport-lifecycle.js';
import { writeBatch } from './write-batch.js';

const { OPEN, CLOSE_EXCHANGED, FAILED, CLOSED } = ConnectionState;

/**
 * A core Connection bound to an injected transport and clock: the lifecycle every adapter
 * needs, written once. It pumps events to `DriverEvents`, batches writes (sends from listeners
 * go out when the outermost listener returns), runs send callbacks in order, keeps the close
 * timer and the TCP close order of RFC 6455 §7.1.1 (the server closes first; a client waits for
 * it, with a timeout), counts automatic pongs, and pauses reading. No runtime API is used here.
 */
export class Driver implements QueuedWriter, HighWaterOwner {
  readonly connection: Connection;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly events: DriverEvents;
  private readonly maxPendingAutoPongs: number;
  private readonly autoPong: boolean;
  private readonly allowSynchronousEvents: boolean;
  /** The transport's state (attached, closing, gone) and the close timer. */
  private readonly lifecycle: TransportLifecycle;
  private paused = false;
  /** allowSynchronousEvents: false and an event was just delivered: the next waits for `Clock.later`. */
  private deferred = false;
  /** Inside pump(): sends are written when it returns. */
  private pumping = false;
  /** In the flush scope's queue (see flush-scope.ts). */
  private flushQueuedFlag = false;
  /** An error was reported (`onError` is called at most once, like `ws`'s 'error'). */
  private errorReported = false;
  /** close() sent our close frame first (a client then ends TCP as soon as the server answers). */
  private closeStarted = false;
  private wasCleanValue = false;
  /** Bytes given to send methods after close (WHATWG and `ws` count them in bufferedAmount). */
  private unsentBytes = 0;
  /** Send callbacks and automatic pongs waiting for their write; null until the first. */
  private callbacks: SendCallbacks | null = null;
  private resumeAfterDefer: (() => void) | null = null;
  /** Sends waiting behind a payload that is being read (see `sendAsync`); null until the first such send. */
  private heldSends: HeldSends | null = null;
  /** Only with the keepAlive option. */
  private readonly keepAlive: KeepAlive | null = null;
  /** Pings waiting for their pong (`pingAndWait`); null until the first. */
  private pongWaiters: PongWaiters | null = null;
  private readonly maxPongWaiters: number | undefined;
  private readonly highWater: SendHighWater;

  constructor(options: DriverOptions) {
    this.transport = options.transport;
    this.clock = options.clock;
    this.events = options.events;
    this.lifecycle = new TransportLifecycle(this.transport, this.clock, options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT);
    this.maxPendingAutoPongs = options.maxPendingAutoPongs ?? DEFAULT_MAX_PENDING_AUTO_PONGS;
    this.allowSynchronousEvents = options.allowSynchronousEvents ?? true;
    this.maxPongWaiters = options.maxPongWaiters;
    this.highWater = new SendHighWater(options.sendHighWaterMark ?? DEFAULT_SEND_HIGH_WATER_MARK, this);
    const connectionOptions = options.connection;
    this.autoPong = connectionOptions.autoPong ?? true;
    const hasExtensions = connectionOptions.extensions !== undefined && connectionOptions.extensions.length > 0;
    // Only asynchronous extension codecs wake the connection: no closure for plain ones.
    this.connection = new Connection(
      hasExtensions
        ? {
            ...connectionOptions,
            onWake: () => {
              this.flush();
              this.pump();
            },
          }
        : connectionOptions,
    );
    if (options.keepAlive !== undefined) {
      this.keepAlive = new KeepAlive(options.keepAlive, this.clock, {
        sendKeepAlivePing: (payload) => this.ping(payload, undefined),
        keepAliveTimedOut: () => {
          this.events.onKeepAliveTimeout?.();
          this.terminate();
        },
        isOpen: () => this.isOpen,
        isPaused: () => this.paused,
      });
    }
  }

  // ---- state -------------------------------------------------------------------------------

  /** The WebSocket API's readyState (1 OPEN, 2 CLOSING, 3 CLOSED), from the core's state. */
  get readyState(): 1 | 2 | 3 {
    const readyState = this.connection.readyState;
    return readyState === 1 && !this.lifecycle.isAttached ? 2 : readyState;
  }

  /** Messages may be sent: the protocol is open and the transport was not ended or dropped. */
  get isOpen(): boolean {
    return this.connection.state === OPEN && this.lifecycle.isAttached;
  }

  /** After `onClosed`: both close frames were exchanged. */
  get wasClean(): boolean {
    return this.wasCleanValue;
  }

  /** Sends return false past this many buffered bytes. */
  get sendHighWaterMark(): number {
    return this.highWater.mark;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Bytes sent and not yet flushed by the transport, plus those given to send methods after close. */
  get bufferedAmount(): number {
    return this.transport.bufferedAmount + this.connection.outputBytes + this.unsentBytes + (this.heldSends?.bytes ?? 0);
  }

  // ---- the application's calls -------------------------------------------------------------

  /**
   * Sends a message (see Connection.send; the caller checks `isOpen`). `callback` runs once it
   * is written. False once `bufferedAmount` is past the send high-water mark: `onDrain` follows.
   */
  send(data: Uint8Array | string, options: SendOptions | undefined, callback: SendCallback | undefined): boolean {
    const heldSends = this.heldSends;
    if (heldSends !== null && heldSends.isHolding) {
      heldSends.hold(data, () => this.send(data, options, callback), callback);
    } else {
      this.connection.send(data, options);
      if (callback !== undefined) (this.callbacks ??= new SendCallbacks()).add(callback);
      this.flushSoon();
    }
    return this.highWater.afterSend(this.bufferedAmount);
  }

  /** Writes prebuilt frames (see Connection.sendFrames; the caller checks `isOpen`), batched like `send`. */
  sendFrames(frames: readonly Uint8Array[], callback: SendCallback | undefined): boolean {
    this.connection.sendFrames(frames);
    if (callback !== undefined) (this.callbacks ??= new SendCallbacks()).add(callback);
    this.flushSoon();
    return this.highWater.afterSend(this.bufferedAmount);
  }

  ping(data: Uint8Array | string, callback: SendCallback | undefined): void {
    const heldSends = this.heldSends;
    if (heldSends !== null && heldSends.isHolding) {
      heldSends.hold(data, () => this.ping(data, callback), callback);
      return;
    }
    this.connection.ping(data);
    if (callback !== undefined) (this.callbacks ??= new SendCallbacks()).add(callback);
    this.flushSoon();
  }

  /**
   * Sends a ping; `answered` runs once a pong with the same payload arrives (RFC 6455 §5.5.3),
   * or with an error: the timeout passed, or the connection closed first. The caller checks `isOpen`.
   */
  pingAndWait(data: Uint8Array | string, answered: PongCallback, options?: PingWaitOptions): void {
    const payload = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    // First the ping (it throws for a payload over 125 bytes), then the wait.
    this.ping(payload, undefined);
    (this.pongWaiters ??= new PongWaiters(this.clock, this.maxPongWaiters)).add(payload, answered, options);
  }

  pong(data: Uint8Array | string, callback: SendCallback | undefined): void {
    const heldSends = this.heldSends;
    if (heldSends !== null && heldSends.isHolding) {
      heldSends.hold(data, () => this.pong(data, callback), callback);
      return;
    }
    this.connection.pong(data);
    if (callback !== undefined) (this.callbacks ??= new SendCallbacks()).add(callback);
    this.flushSoon();
  }

  /**
   * Sends a payload that is still being read (a Blob: `read` resolves with its bytes), as a
   * message, ping or pong. Later calls wait behind it, so everything reaches the wire in call
   * order, and its `byteLength` counts in `bufferedAmount` meanwhile. If the read fails, the
   * error is reported (`onError`) and the transport is ended, like `ws`.
   */
  sendAsync(
    kind: AsyncSendKind,
    read: Promise<Uint8Array>,
    byteLength: number,
    options: SendOptions | undefined,
    callback: SendCallback | undefined,
  ): boolean {
    (this.heldSends ??= this.createHeldSends()).start(kind, read, byteLength, options, callback);
    return this.highWater.afterSend(this.bufferedAmount);
  }

  private createHeldSends(): HeldSends {
    return new HeldSends(this.clock, {
      isOpen: () => this.isOpen,
      readyState: () => this.readyState,
      addUnsent: (byteLength) => this.addUnsent(byteLength),
      sendRead: (kind, bytes, options, callback) => {
        if (kind === 'message') this.send(bytes, options, callback);
        else if (kind === 'ping') this.ping(bytes, callback);
        else this.pong(bytes, callback);
      },
      readFailed: (error) => this.asyncReadFailed(error),
    });
  }

  /** Like `ws`: a payload that could not be read is reported as the connection's error, and the transport is ended. */
  private asyncReadFailed(error: Error): void {
    if (this.connection.state === CLOSED || this.lifecycle.isGone || this.errorReported) return;
    this.errorReported = true;
    this.events.onError(error as WebSocketError);
    this.lifecycle.detach();
    this.flush();
    this.transport.end();
    this.lifecycle.startCloseTimer();
  }

  /** Counts bytes the application tried to send once the connection was no longer open. */
  addUnsent(byteLength: number): void {
    this.unsentBytes += byteLength;
  }

  /**
   * Starts the closing handshake (§7.1.2; the caller validated code and reason). Once both
   * close frames are through, or the connection failed, a further call ends the transport.
   */
  close(code?: number, reason?: string | Uint8Array): void {
    const heldSends = this.heldSends;
    if (heldSends !== null && heldSends.isHolding) {
      // After what is being read, like any send (`ws` queues its close frame the same way).
      heldSends.holdClose(() => this.close(code, reason));
      return;
    }
    const state = this.connection.state;
    if (state === OPEN && this.lifecycle.isAttached) {
      this.connection.close(code, reason);
      this.closeStarted = true;
      // The core asks for the timer too (start-close-timer); starting it here covers a paused reader.
      this.lifecycle.startCloseTimer();
      this.flush();
      this.pump();
    } else if (state === CLOSE_EXCHANGED || state === FAILED) {
      this.transport.end();
    }
  }

  /** Drops the transport at once; `onClosed` follows with 1006 unless a close frame had arrived. */
  terminate(): void {
    if (this.connection.state === CLOSED) return;
    this.lifecycle.detach();
    // Frames already sent reach the transport first, as they would if every send wrote at once.
    this.flush();
    // What an asynchronous encode still holds never goes out: its callbacks are told soon,
    // before the close is reported, as `ws` does.
    if (this.connection.isSending) this.callbacks?.failUnsettled(new Error(CLOSED_WHILE_COMPRESSING), this.clock);
    this.transport.destroy();
  }

  /** Stops reading the transport (real backpressure: the peer's window fills up). */
  pause(): void {
    if (this.connection.state === CLOSED) return;
    this.paused = true;
    this.transport.pause();
  }

  resume(): void {
    if (this.connection.state === CLOSED) return;
    this.paused = false;
    this.pump();
  }

  // ---- the transport's calls ---------------------------------------------------------------

  /** Bytes from the handshake's leftover: taken in, delivered on the next `pump()` (listeners may not be attached yet). */
  receiveEarly(bytes: Uint8Array): void {
    if (bytes.length > 0) this.connection.receiveData(bytes);
  }

  /** Bytes arrived (ownership passes to the core). */
  receive(chunk: Uint8Array): void {
    if (this.lifecycle.isGone) return;
    this.keepAlive?.activity();
    this.connection.receiveData(chunk);
    this.pump();
  }

  /** The peer ended its side (TCP FIN): end ours too, like `ws`; the close event follows the transport's close. */
  transportEnded(): void {
    this.lifecycle.detach();
    this.transport.end();
  }

  /** The transport is closed (§7.1.4): what it still holds is processed, then the connection closes. */
  transportClosed(): void {
    if (!this.lifecycle.markGone()) return;
    const connection = this.connection;
    const transport = this.transport;
    // Sends still in an asynchronous encode will never go out: their callbacks fail now, while
    // readyState is CLOSING and before the close is reported, with `ws`'s message.
    if (connection.isSending) this.callbacks?.failAllNow(new Error(CLOSED_WHILE_COMPRESSING));
    if (transport.readBuffered !== undefined) {
      for (let chunk = transport.readBuffered(); chunk !== null; chunk = transport.readBuffered()) connection.receiveData(chunk);
    }
    connection.receiveData(null);
    this.pump();
  }

  // ---- the event pump ----------------------------------------------------------------------

  /** Pulls events from the core and delivers them; stops while paused (the transport is paused too). */
  pump(): void {
    if (this.pumping) return;
    const connection = this.connection;
    this.pumping = true;
    enter();
    try {
      for (;;) {
        // Once the transport is gone everything left is delivered, paused or not (like `ws`).
        if ((this.paused || this.deferred) && !this.lifecycle.isGone) break;
        const event = connection.nextEvent();
        // PENDING: a codec is at work. Input waits only behind a decode, so only then is reading
        // paused (input cannot pile up); while our sends are being compressed, everything
        // received has been processed and reading goes on, as with NEED_DATA.
        if (event === PENDING && connection.isReceiving) {
          this.transport.pause();
          break;
        }
        if (event === NEED_DATA || event === PENDING) {
          if (!this.paused) this.transport.resume();
          break;
        }
        if (event === DONE) break;
        this.handle(event);
        if (!this.allowSynchronousEvents && (event.type === 'message' || event.type === 'ping' || event.type === 'pong')) {
          this.deferred = true;
          this.clock.later(
            (this.resumeAfterDefer ??= () => {
              this.deferred = false;
              this.pump();
            }),
          );
        }
      }
    } finally {
      this.pumping = false;
      this.flush();
      // The outermost pump writes what its listeners sent to other connections (even if one threw).
      leave();
    }
  }

  private handle(event: ConnectionEvent): void {
    switch (event.type) {
      case 'message':
        this.events.onMessage(event.data, event.binary);
        break;
      case 'ping':
        // A peer that pings faster than it reads our automatic pongs is cut off (see addAutoPong).
        if (this.autoPong && !(this.callbacks ??= new SendCallbacks()).addAutoPong(this.maxPendingAutoPongs)) this.terminate();
        this.events.onPing(event.data);
        break;
      case 'pong':
        this.pongWaiters?.answer(event.data);
        this.events.onPong(event.data);
        break;
      case 'error':
        // One 'error' per connection, like `ws`: a failed payload read may have reported first.
        if (!this.errorReported) this.events.onError(event.error);
        this.errorReported = true;
        break;
      case 'start-close-timer':
        this.lifecycle.startCloseTimer();
        break;
      case 'close-transport':
        this.flush();
        this.transport.end();
        // A peer that never closes its side cannot hold the transport: dropped after the timeout.
        this.lifecycle.startCloseTimer();
        break;
      case 'closed':
        this.onClosed(event);
        break;
      case 'fragment':
        this.events.onFragment?.(event.data, event.binary, event.first, event.fin, event.frameEnd);
        break;
      case 'close':
        // A client that started the close has now both frames (§7.1.1: it MAY close TCP). The
        // server ended its side when it answered, so it still closed first; ending ours now,
        // rather than once its FIN is read, lets the server see the whole close before we
        // report ours, as with `ws`. The close timer, running since close(), stays the fallback.
        // (When the server started it, the client keeps waiting for the server's FIN, as before.)
        if (this.closeStarted && this.connection.role === 'client' && this.connection.state === CLOSE_EXCHANGED) {
          this.flush();
          this.transport.end();
        }
        break;
    }
  }

  private onClosed(event: ClosedEvent): void {
    this.lifecycle.clearCloseTimer();
    this.keepAlive?.stop();
    this.pongWaiters?.failAll(new WebSocketError('The connection closed before the pong arrived', 'WS_ERR_CLOSED'));
    this.wasCleanValue = event.wasClean;
    this.highWater.stop();
    this.callbacks?.failAll(new Error('WebSocket is not open: readyState 3 (CLOSED)'), this.clock);
    this.events.onClosed(event);
  }

  // ---- writing -----------------------------------------------------------------------------

  /**
   * Sends made while listeners run go out when the outermost pump returns: an echo server's
   * replies to one read leave in one write, and a broadcast from a 'message' listener costs one
   * write per peer per read instead of one per message. Outside listeners, sends are written at once.
   */
  private flushSoon(): void {
    if (this.pumping) return; // pump() flushes when it is done
    if (!isDelivering()) {
      this.flush();
    } else if (!this.flushQueuedFlag) {
      this.flushQueuedFlag = true;
      queue(this);
    }
  }

  /** HighWaterOwner: after a send returned false, the queue is back at or below the mark. */
  sendQueueDrained(): void {
    this.events.onDrain?.();
  }

  /** QueuedWriter: called by the flush scope when the outermost delivery returns. */
  flushQueued(): void {
    this.flushQueuedFlag = false;
    this.flush();
  }

  /** Writes what the core produced as one batch, then ties waiting send callbacks to that write (see write-batch.ts). */
  flush(): void {
    writeBatch(this.connection, this.transport, this.clock, this.highWater, this.callbacks);
  }
}
