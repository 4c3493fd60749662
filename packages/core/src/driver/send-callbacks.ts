import type { Clock } from './transport.js';

/** What a send callback gets when the transport closed while its message was being compressed (`ws`'s words). */
export const CLOSED_WHILE_COMPRESSING = 'The socket was closed while data was being compressed';

/** A send callback: `null` once its frame is written (as Node's write callbacks and `ws` do), an error if it never will be. */
export type SendCallback = (error?: Error | null) => void;

/** Stands in the queue for an automatic pong (§5.5.2): counted, not called. */
const AUTO_PONG: SendCallback = () => {};

/**
 * Send callbacks in order, and the automatic pongs not yet written. A callback first waits for
 * the core to hand its frame over (an asynchronous extension encode may hold it), then for the
 * transport write that carried it. Writes are numbered from the moment something waits; a
 * callback settles with the number of the last write issued when the core had nothing left
 * back, and runs when that write completes. Created on first use: most connections never pass
 * a callback, and the driver keeps no counters of its own for this.
 */
export class SendCallbacks {
  /** Automatic pongs queued and not yet written. */
  pendingAutoPongs = 0;
  /** Writes issued while this existed, and the last one known to have completed. */
  private writesIssued = 0;
  private writesCompleted = 0;
  /** Sent, but the core may not have handed the frame over yet. */
  private unsettled: SendCallback[] = [];
  /** Settled: parallel lists of the write to wait for and the callback, oldest first. */
  private readonly writeOf: number[] = [];
  private readonly waiting: SendCallback[] = [];

  /** Nothing waits: a write need not report its completion. */
  get isEmpty(): boolean {
    return this.unsettled.length === 0 && this.waiting.length === 0;
  }

  add(callback: SendCallback): void {
    this.unsettled.push(callback);
  }

  /**
   * The core has answered a ping (§5.5.2, when the connection is open); until that pong is
   * written it counts as pending. False, and nothing counted, when `max` (> 0; 0 = no limit)
   * are pending already: a peer that pings faster than it reads our pongs is to be cut off.
   */
  addAutoPong(max: number): boolean {
    if (max > 0 && this.pendingAutoPongs >= max) return false;
    this.pendingAutoPongs++;
    this.unsettled.push(AUTO_PONG);
    return true;
  }

  /** A write was issued; returns its number, for `written`. */
  issued(): number {
    return ++this.writesIssued;
  }

  /**
   * The core holds nothing back: every frame sent so far is in a write up to the last issued.
   * Callbacks whose write already completed run soon (never inside `send()`).
   */
  settle(clock: Clock): void {
    const callbacks = this.unsettled;
    if (callbacks.length === 0) return;
    this.unsettled = [];
    const lastWrite = this.writesIssued;
    for (const callback of callbacks) {
      if (lastWrite > this.writesCompleted) {
        this.writeOf.push(lastWrite);
        this.waiting.push(callback);
      } else if (callback === AUTO_PONG) this.pendingAutoPongs--;
      else clock.soon(callback, null);
    }
  }

  /** Write number `write` finished; writes complete in order (a Transport rule), so every earlier one has too. */
  written(write: number, error: Error | null): void {
    if (write > this.writesCompleted) this.writesCompleted = write;
    const writeOf = this.writeOf;
    let count = 0;
    while (count < writeOf.length && writeOf[count]! <= write) count++;
    if (count === 0) return;
    const ready = this.waiting.splice(0, count);
    writeOf.splice(0, count);
    for (const callback of ready) {
      if (callback === AUTO_PONG) this.pendingAutoPongs--;
      else callback(error);
    }
  }

  /**
   * What the core has not handed over yet will never be written (the transport was dropped or
   * ended while an asynchronous encode held it): those callbacks fail with `error`, soon, and
   * after any still waiting for an earlier write, so the order holds.
   */
  failUnsettled(error: Error, clock: Clock): void {
    const callbacks = this.unsettled;
    if (callbacks.length === 0) return;
    this.unsettled = [];
    const lastWrite = this.writesIssued;
    for (const callback of callbacks) {
      if (callback === AUTO_PONG) this.pendingAutoPongs--;
      else if (lastWrite > this.writesCompleted) {
        this.writeOf.push(lastWrite);
        this.waiting.push(() => callback(error));
      } else clock.soon(callback, error);
    }
  }

  /**
   * The transport closed while an asynchronous encode still held sends: everything waiting
   * fails now, in send order, so the callbacks run before the close is reported (as in `ws`).
   * The caller is a transport event, never the application's `send()`.
   */
  failAllNow(error: Error): void {
    const callbacks = this.waiting.concat(this.unsettled);
    this.waiting.length = 0;
    this.writeOf.length = 0;
    this.unsettled = [];
    this.pendingAutoPongs = 0;
    for (const callback of callbacks) if (callback !== AUTO_PONG) callback(error);
  }

  /** The connection closed: everything still waiting fails, in send order. */
  failAll(error: Error, clock: Clock): void {
    const callbacks = this.waiting.concat(this.unsettled);
    this.waiting.length = 0;
    this.writeOf.length = 0;
    this.unsettled = [];
    this.pendingAutoPongs = 0;
    for (const callback of callbacks) if (callback !== AUTO_PONG) clock.soon(callback, error);
  }
}
