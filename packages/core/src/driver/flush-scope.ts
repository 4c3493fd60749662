/**
 * Write coalescing across connections. While any driver is delivering events, sends to a
 * driver that is not pumping itself (a broadcast from a 'message' listener) are queued here and
 * written when the outermost delivery returns: one write per peer per read, not one per message.
 * Module state on purpose: listeners of one connection send to others, so the scope is shared.
 */

/** A writer whose output waits for the outermost delivery to return. */
export interface QueuedWriter {
  /** Leaves the queue and writes what it holds. */
  flushQueued(): void;
}

/** How many deliveries are running now (they nest when a listener resumes another connection). */
let depth = 0;
const queued: QueuedWriter[] = [];

/** True while some driver's listeners run: a send should wait for `leave()` (see QueuedWriter). */
export function isDelivering(): boolean {
  return depth > 0;
}

export function enter(): void {
  depth++;
}

/** Called in a `finally`: the outermost return writes every queued writer, even if a listener threw. */
export function leave(): void {
  if (--depth === 0 && queued.length > 0) {
    // A flush runs no listener synchronously (write callbacks are asynchronous), so the queue
    // cannot grow while it is drained; index anyway in case it ever does.
    for (let i = 0; i < queued.length; i++) queued[i]!.flushQueued();
    queued.length = 0;
  }
}

export function queue(writer: QueuedWriter): void {
  queued.push(writer);
}
