import { InvalidArgumentError } from '../errors.js';
import type { Clock, TimerHandle } from './transport.js';

/**
 * Keep-alive: pings so that a dead peer (or a dead path to it: a NAT or proxy that forgot the
 * connection, a cable pulled) is noticed, and intermediaries see traffic. RFC 6455 §5.5.2: a
 * ping "may serve either as a keepalive or as a means to verify that the remote endpoint is
 * still responsive"; §5.5.3: the peer answers with a pong.
 */
export interface KeepAliveOptions {
  /** Milliseconds: ping after this long without a byte from the peer (or every interval, see `whenIdle`). */
  readonly interval: number;
  /**
   * Milliseconds to wait after a ping for the peer to send anything (its pong, or any other
   * frame); if nothing arrives the transport is dropped and the close reports 1006 (§7.1.5).
   * Undefined: never drop, keep pinging (faye's `ping`). Only with `whenIdle` (the default).
   */
  readonly timeout?: number;
  /**
   * True (the default, as WebSocket-Node's keepalive): ping only after `interval` ms in which
   * nothing arrived; a busy connection costs no pings. False: ping every `interval` ms
   * whatever the traffic (faye's `ping` timer).
   */
  readonly whenIdle?: boolean;
  /** The payload of each keep-alive ping (called once per ping). Default empty. */
  readonly payload?: () => Uint8Array | string;
}

/** What the keep-alive needs from its connection (the driver). */
export interface KeepAliveHost {
  /** Sends a keep-alive ping (only called while the connection is open). */
  sendKeepAlivePing(payload: Uint8Array | string): void;
  /** The peer sent nothing for `timeout` ms after a ping: drop it. */
  keepAliveTimedOut(): void;
  isOpen(): boolean;
  /** The application paused reading: the peer's answer could not be read, so nothing is judged. */
  isPaused(): boolean;
}

const EMPTY = new Uint8Array(0);
const noPayload = (): Uint8Array => EMPTY;

/**
 * One timer per connection, never re-armed per read: a read only records the time
 * (`activity()`); when the timer fires it compares that time with the deadline and sleeps
 * again for what is left. So a connection that receives a million messages costs the same
 * handful of timer calls as an idle one.
 *
 * Liveness is *any* byte from the peer, not only the pong: a pong cannot overtake a large
 * frame already on its way (§5.4 lets control frames go between fragments, not inside a
 * frame), so a peer busy sending a big message is alive even though its pong is late. This is
 * what WebSocket-Node does (every read resets its timers).
 *
 * While the application has paused reading (backpressure), the keep-alive waits: the peer's
 * pong would sit unread in the transport, and dropping a peer for our own pause would punish
 * the application for using backpressure. Once reading again, it pings after an interval of silence.
 */
export class KeepAlive {
  private readonly interval: number;
  private readonly timeout: number | undefined;
  private readonly whenIdle: boolean;
  private readonly payload: () => Uint8Array | string;
  private readonly clock: Clock;
  private readonly now: () => number;
  private readonly host: KeepAliveHost;
  private timer: TimerHandle = undefined;
  /** When the peer last sent something (clock time, ms). */
  private lastActivity: number;
  /** When the outstanding ping went out; undefined while none is awaited. */
  private pingSentAt: number | undefined = undefined;
  /** Something arrived since the last ping (a flag, not a time comparison: a pong may come in the same millisecond). */
  private heard = false;
  private stopped = false;
  private readonly onTimer = (): void => this.fire();

  constructor(options: KeepAliveOptions, clock: Clock, host: KeepAliveHost) {
    const { interval, timeout } = options;
    if (!(interval > 0) || !Number.isFinite(interval)) throw new InvalidArgumentError('keepAlive.interval must be a positive number of milliseconds');
    if (timeout !== undefined && (!(timeout > 0) || !Number.isFinite(timeout))) {
      throw new InvalidArgumentError('keepAlive.timeout must be a positive number of milliseconds');
    }
    // A fixed schedule is for intermediaries that want traffic; telling a dead peer needs silence.
    if (timeout !== undefined && options.whenIdle === false) throw new InvalidArgumentError('keepAlive.timeout needs whenIdle');
    const now = clock.now;
    if (now === undefined) throw new InvalidArgumentError('keepAlive needs a Clock with now()');
    this.interval = interval;
    this.timeout = timeout;
    this.whenIdle = options.whenIdle ?? true;
    this.payload = options.payload ?? noPayload;
    this.clock = clock;
    this.now = now.bind(clock);
    this.host = host;
    this.lastActivity = this.now();
    this.arm(interval);
  }

  /** Something arrived from the peer. On every read: one clock reading, nothing else. */
  activity(): void {
    this.lastActivity = this.now();
    this.heard = true;
  }

  /** The connection is closing or closed: no more pings, no timer left behind. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number): void {
    this.timer = this.clock.setTimer(delay, this.onTimer);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    // Once a close frame is out or in, the close timer of §7.1.1 takes over.
    if (!this.host.isOpen()) {
      this.stop();
      return;
    }
    const now = this.now();
    if (this.host.isPaused()) {
      this.pingSentAt = undefined;
      this.lastActivity = now;
      this.arm(this.interval);
      return;
    }
    const sentAt = this.pingSentAt;
    if (sentAt !== undefined && this.timeout !== undefined) {
      if (!this.heard) {
        const waited = now - sentAt;
        if (waited >= this.timeout) {
          this.stop();
          this.host.keepAliveTimedOut();
          return;
        }
        // Look again within an interval (or when the timeout is due, if sooner): an answer that
        // comes in between then schedules the next ping from its own arrival, as if each read
        // restarted the timer, which is what WebSocket-Node does.
        this.arm(Math.min(this.interval, this.timeout - waited));
        return;
      }
      // The peer answered (or sent something): back to waiting for silence.
      this.pingSentAt = undefined;
    }
    if (this.whenIdle) {
      const silentFor = now - this.lastActivity;
      if (silentFor < this.interval) {
        this.arm(this.interval - silentFor);
        return;
      }
    }
    this.ping(now);
  }

  private ping(now: number): void {
    this.heard = false;
    this.host.sendKeepAlivePing(this.payload());
    if (this.timeout !== undefined) {
      this.pingSentAt = now;
      this.arm(Math.min(this.interval, this.timeout));
    } else {
      this.arm(this.interval);
    }
  }
}
