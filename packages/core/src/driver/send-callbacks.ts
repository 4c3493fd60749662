import type { Clock } from './transport.js';

/** A send callback: no argument once its frame is written, an error if it never will be. */
export type SendCallback = (error?: Error) => void;

/**
 * Send callbacks in order. A callback first waits for the core to hand its frame over (an
 * asynchronous extension encode may hold it), then for the transport write that carried it.
 * Writes are numbered; a callback settles with the number of the last write issued when the
 * core had nothing left back, and runs when that write completes. Created on first use: most
 * connections never pass a callback.
 */
export class SendCallbacks {
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
   * The core holds nothing back: every frame sent so far is in a write up to `lastWrite`.
   * Callbacks whose write already completed run soon (never inside `send()`).
   */
  settle(lastWrite: number, lastCompleted: number, clock: Clock): void {
    const callbacks = this.unsettled;
    if (callbacks.length === 0) return;
    this.unsettled = [];
    for (const callback of callbacks) {
      if (lastWrite <= lastCompleted) clock.soon(callback, undefined);
      else {
        this.writeOf.push(lastWrite);
        this.waiting.push(callback);
      }
    }
  }

  /** Write `completed` finished (writes complete in order): run what waited for it. */
  written(completed: number, error: Error | undefined): void {
    const writeOf = this.writeOf;
    const waiting = this.waiting;
    let count = 0;
    while (count < writeOf.length && writeOf[count]! <= completed) count++;
    if (count === 0) return;
    const ready = waiting.splice(0, count);
    writeOf.splice(0, count);
    for (const callback of ready) callback(error);
  }

  /** The connection closed: everything still waiting fails, in send order. */
  failAll(error: Error, clock: Clock): void {
    const callbacks = this.waiting.concat(this.unsettled);
    this.waiting.length = 0;
    this.writeOf.length = 0;
    this.unsettled = [];
    for (const callback of callbacks) clock.soon(callback, error);
  }
}
