import { InvalidArgumentError } from '../errors.js';

/**
 * Default send high-water mark in bytes (16 MiB). `ws` has none (its `send()` returns nothing);
 * Node's streams use 16/64 KiB, which would make every large WebSocket message report "full".
 * 16 MiB lets ordinary messages, even big ones, through without a wait while a sender that
 * streams data still stays within a few MiB of the mark.
 */
export const DEFAULT_SEND_HIGH_WATER_MARK = 16 * 1024 * 1024;

/** Throws InvalidArgumentError unless `mark` is a usable high-water mark (a finite number >= 0). */
export function checkSendHighWaterMark(mark: number): void {
  if (typeof mark !== 'number' || !(mark >= 0) || !Number.isFinite(mark)) {
    throw new InvalidArgumentError(`sendHighWaterMark must be a finite number >= 0, got ${String(mark)}`);
  }
}

/**
 * Send backpressure as Node's writable streams do it: a send reports `false` once
 * `bufferedAmount` is past the mark, and after such a `false`, `onDrain` runs once when it is
 * back at or below the mark. The driver calls `afterSend` after each send and `afterWrite` when
 * a write completes; `wantsWriteReports` tells it which writes must report their completion.
 */
export class SendHighWater {
  /** A send returned false and 'drain' has not been reported since. */
  private waitingForDrain = false;

  constructor(
    readonly mark: number,
    private readonly onDrain: () => void,
  ) {
    checkSendHighWaterMark(mark);
  }

  /** Whether the send that left `bufferedAmount` behind may be followed by more without waiting. */
  afterSend(bufferedAmount: number): boolean {
    if (bufferedAmount <= this.mark) return true;
    this.waitingForDrain = true;
    return false;
  }

  /**
   * A write of `bytes` is about to be issued with `bufferedAmount` already queued: it must
   * report its completion if someone waits for 'drain', or if it takes the total past the mark
   * (a send is about to say `false`, and only a completing write can later say "drained").
   */
  wantsWriteReport(bufferedAmount: number, bytes: number): boolean {
    return this.waitingForDrain || bufferedAmount + bytes > this.mark;
  }

  /** A write completed (or the queue changed): reports the drain once the amount is back at or below the mark. */
  afterWrite(bufferedAmount: number): void {
    if (!this.waitingForDrain || bufferedAmount > this.mark) return;
    this.waitingForDrain = false;
    this.onDrain();
  }

  /** The connection closed: nothing will drain, and nobody should be told it did. */
  stop(): void {
    this.waitingForDrain = false;
  }
}
