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

/** What the mark watches and tells (the driver; no closures per connection). */
export interface HighWaterOwner {
  readonly bufferedAmount: number;
  /** After a send returned false, `bufferedAmount` is back at or below the mark. */
  sendQueueDrained(): void;
}

/**
 * Send backpressure as Node's writable streams do it: a send reports `false` once
 * `bufferedAmount` is past the mark, and after such a `false`, `onDrain` runs once when it is
 * back at or below the mark. The driver calls `afterSend` after each send, and gives each write
 * the callback `reportFor` returns (if any), which checks the amount when the write completes.
 */
export class SendHighWater {
  /** A send returned false and 'drain' has not been reported since. */
  private waitingForDrain = false;
  /** The write-completion callback, made on first use (one per connection that ever needs it). */
  private report: ((error?: Error | null) => void) | null = null;

  constructor(
    readonly mark: number,
    private readonly owner: HighWaterOwner,
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
   * `chunks` are about to be written with `queued` bytes already in the transport: the write
   * must report its completion if someone waits for 'drain', or if it takes the total past the
   * mark (a send is about to say `false`, and only a completing write can later say "drained").
   * Undefined otherwise: the usual write costs nothing.
   */
  reportFor(queued: number, chunks: readonly Uint8Array[]): ((error?: Error | null) => void) | undefined {
    if (!this.waitingForDrain) {
      let total = queued;
      for (const chunk of chunks) total += chunk.byteLength;
      if (total <= this.mark) return undefined;
    }
    return (this.report ??= (error) => {
      if (!error) this.afterWrite();
    });
  }

  /** A write completed: reports the drain once the amount is back at or below the mark. */
  private afterWrite(): void {
    if (!this.waitingForDrain || this.owner.bufferedAmount > this.mark) return;
    this.waitingForDrain = false;
    this.owner.sendQueueDrained();
  }

  /** The connection closed: nothing will drain, and nobody should be told it did. */
  stop(): void {
    this.waitingForDrain = false;
  }
}
