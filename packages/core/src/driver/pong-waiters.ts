import { WebSocketError } from '../errors.js';
import type { Clock, TimerHandle } from './transport.js';

/** Called once: `null` when the matching pong arrived, else why it never will. */
export type PongCallback = (error: WebSocketError | null) => void;

export interface PingWaitOptions {
  /** Milliseconds to wait for the pong; then the callback gets a `WS_ERR_PONG_TIMEOUT` error. Default: until the connection closes. */
  readonly timeout?: number;
  /**
   * A later wait for the same payload replaces an earlier one, whose callback then never runs
   * (faye's websocket-driver). Default false: every wait for that payload is answered.
   */
  readonly replace?: boolean;
}

/** Pings that may wait for their pong at once, per connection, unless the driver is told otherwise. */
export const DEFAULT_MAX_PONG_WAITERS = 1024;

interface Waiter {
  readonly callback: PongCallback;
  timer: TimerHandle;
}

/**
 * Pings waiting for their pong, by payload. RFC 6455 §5.5.3: a pong "MUST have identical
 * Application data" to the ping it answers, and an endpoint may answer only the most recent of
 * several pings; so a pong answers every ping waiting with the same payload (one sent before it
 * included: the peer's answer to the latest proves it read the earlier ones too).
 */
export class PongWaiters {
  /** Payload (its bytes as a latin1-style string: any bytes round-trip) to the pings waiting with it, oldest first. */
  private readonly byPayload = new Map<string, Waiter[]>();
  private readonly clock: Clock;
  private readonly maxWaiting: number;
  private waiting = 0;

  /**
   * `maxWaiting`: a peer that never answers must not make an application that keeps pinging
   * (without a timeout) hold callbacks without bound: past it, the oldest wait fails with
   * `WS_ERR_TOO_MANY_PINGS`. 0 = no limit.
   */
  constructor(clock: Clock, maxWaiting = DEFAULT_MAX_PONG_WAITERS) {
    this.clock = clock;
    this.maxWaiting = maxWaiting;
  }

  get size(): number {
    return this.waiting;
  }

  add(payload: Uint8Array, callback: PongCallback, options: PingWaitOptions | undefined): void {
    const key = keyOf(payload);
    let waiters = this.byPayload.get(key);
    if (waiters === undefined) this.byPayload.set(key, (waiters = []));
    else if (options?.replace === true) {
      for (const old of waiters) this.clearTimer(old);
      this.waiting -= waiters.length;
      waiters.length = 0;
    }
    const waiter: Waiter = { callback, timer: undefined };
    const timeout = options?.timeout;
    if (timeout !== undefined) {
      waiter.timer = this.clock.setTimer(timeout, () => {
        waiter.timer = undefined;
        const list = this.byPayload.get(key);
        const index = list?.indexOf(waiter) ?? -1;
        if (index < 0) return;
        this.remove(key, list!, index);
        callback(new WebSocketError(`No pong within ${timeout} ms`, 'WS_ERR_PONG_TIMEOUT'));
      });
    }
    waiters.push(waiter);
    this.waiting++;
    if (this.maxWaiting > 0 && this.waiting > this.maxWaiting) this.dropOldest();
  }

  private remove(key: string, list: Waiter[], index: number): void {
    list.splice(index, 1);
    this.waiting--;
    if (list.length === 0) this.byPayload.delete(key);
  }

  /**
   * A long-waiting ping gives up: the first of the payload waited for longest (a Map keeps
   * insertion order). Not always the single oldest call, which a bound does not need.
   */
  private dropOldest(): void {
    const [key, list] = this.byPayload.entries().next().value as [string, Waiter[]];
    const oldest = list[0]!;
    this.clearTimer(oldest);
    this.remove(key, list, 0);
    oldest.callback(new WebSocketError(`More than ${this.maxWaiting} pings wait for a pong`, 'WS_ERR_TOO_MANY_PINGS'));
  }

  /** A pong arrived: the pings waiting with its payload are answered. */
  answer(pong: Uint8Array): void {
    if (this.byPayload.size === 0) return;
    const key = keyOf(pong);
    const waiters = this.byPayload.get(key);
    if (waiters === undefined) return;
    this.byPayload.delete(key);
    this.waiting -= waiters.length;
    for (const waiter of waiters) {
      this.clearTimer(waiter);
      waiter.callback(null);
    }
  }

  /** The connection closed: every ping still waiting fails with `error`. */
  failAll(error: WebSocketError): void {
    if (this.byPayload.size === 0) return;
    const all = [...this.byPayload.values()].flat();
    this.byPayload.clear();
    this.waiting = 0;
    for (const waiter of all) {
      this.clearTimer(waiter);
      waiter.callback(error);
    }
  }

  private clearTimer(waiter: Waiter): void {
    if (waiter.timer !== undefined) this.clock.clearTimer(waiter.timer);
    waiter.timer = undefined;
  }
}

/** A control payload is at most 125 bytes (§5.5): one char per byte is a cheap, exact key. */
function keyOf(payload: Uint8Array): string {
  return String.fromCharCode.apply(null, payload as unknown as number[]);
}
