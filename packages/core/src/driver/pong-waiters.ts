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

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get size(): number {
    let count = 0;
    for (const waiters of this.byPayload.values()) count += waiters.length;
    return count;
  }

  add(payload: Uint8Array, callback: PongCallback, options: PingWaitOptions | undefined): void {
    const key = keyOf(payload);
    let waiters = this.byPayload.get(key);
    if (waiters === undefined) this.byPayload.set(key, (waiters = []));
    else if (options?.replace === true) {
      for (const old of waiters) this.clearTimer(old);
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
        list!.splice(index, 1);
        if (list!.length === 0) this.byPayload.delete(key);
        callback(new WebSocketError(`No pong within ${timeout} ms`, 'WS_ERR_PONG_TIMEOUT'));
      });
    }
    waiters.push(waiter);
  }

  /** A pong arrived: the pings waiting with its payload are answered. */
  answer(pong: Uint8Array): void {
    if (this.byPayload.size === 0) return;
    const key = keyOf(pong);
    const waiters = this.byPayload.get(key);
    if (waiters === undefined) return;
    this.byPayload.delete(key);
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
