/**
 * `for await (const message of ws)`: a queue between the socket's messages and the loop. When
 * the loop falls behind, the socket's reading is paused (the driver pauses the transport, so the
 * peer's TCP window fills up) instead of the queue growing without bound.
 */

/** A text message as a string, a binary one as bytes. */
export type MessageData = string | Uint8Array;

/** Messages waiting before reading is paused, and below which it resumes. */
const HIGH_WATER = 16;
const LOW_WATER = 4;

export interface IteratorControl {
  pause(): void;
  resume(): void;
  /** The iterator is done (ended or the loop left early). */
  detach(): void;
}

export class MessageIterator implements AsyncIterableIterator<MessageData> {
  private readonly queue: MessageData[] = [];
  private waiting: { resolve(result: IteratorResult<MessageData>): void; reject(error: Error): void } | null = null;
  private ended = false;
  private failure: Error | undefined;
  private paused = false;

  constructor(private readonly control: IteratorControl) {}

  push(message: MessageData): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting.resolve({ value: message, done: false });
      return;
    }
    this.queue.push(message);
    if (!this.paused && this.queue.length >= HIGH_WATER) {
      this.paused = true;
      this.control.pause();
    }
  }

  /** The connection closed: queued messages are still given out, then done (or `error`). */
  end(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.control.detach();
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting === null) return;
    if (error !== undefined) {
      this.failure = undefined;
      waiting.reject(error);
    } else {
      waiting.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<MessageData>> {
    const message = this.queue.shift();
    if (message !== undefined) {
      if (this.paused && this.queue.length <= LOW_WATER) {
        this.paused = false;
        this.control.resume();
      }
      return Promise.resolve({ value: message, done: false });
    }
    if (this.ended) {
      const failure = this.failure;
      this.failure = undefined;
      return failure !== undefined ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The loop was left (`break`): stop collecting, and read again if we had paused. */
  return(): Promise<IteratorResult<MessageData>> {
    if (!this.ended) {
      this.ended = true;
      this.control.detach();
    }
    this.queue.length = 0;
    if (this.paused) {
      this.paused = false;
      this.control.resume();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<MessageData> {
    return this;
  }
}
