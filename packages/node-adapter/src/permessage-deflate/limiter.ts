/**
 * A queue that runs at most `concurrency` jobs at once. zlib work runs on libuv's small
 * thread pool, and many concurrent zlib streams fragment memory badly (nodejs/node#8871,
 * websockets/ws#1202), so, like `ws`, all permessage-deflate work in the process shares one.
 */
export class Limiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly concurrency: number) {}

  /** Runs `job` when a slot is free; the slot is held until its promise settles. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.running++;
        job()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.queue.shift()?.();
          });
      };
      if (this.running < this.concurrency) start();
      else this.queue.push(start);
    });
  }

  /** Jobs waiting for a slot (for tests and diagnostics). */
  get waiting(): number {
    return this.queue.length;
  }
}

let shared: Limiter | undefined;

/**
 * The process-wide limiter. As in `ws`, the first connection that uses permessage-deflate
 * fixes its concurrency (default 10); later `concurrencyLimit` values are ignored.
 */
export function sharedLimiter(concurrency: number): Limiter {
  shared ??= new Limiter(concurrency > 0 ? concurrency : Infinity);
  return shared;
}
