import type { Connection } from '../connection.js';
import type { SendHighWater } from './high-water.js';
import { CLOSED_WHILE_COMPRESSING, type SendCallbacks } from './send-callbacks.js';
import type { Clock, Transport } from './transport.js';

/**
 * Writes what the core produced as one batch, then ties waiting send callbacks to that write.
 * A function, not an object: the driver calls it on every flush and keeps no extra state for it.
 */
export function writeBatch(
  connection: Connection,
  transport: Transport,
  clock: Clock,
  highWater: SendHighWater,
  callbacks: SendCallbacks | null,
): void {
  const chunks = connection.takeOutput();
  if (chunks.length > 0 && !transport.writable) {
    // An asynchronous encode finished after the transport was ended or dropped: these frames
    // are lost, and a callback waiting on them must not hear that they were written.
    callbacks?.failUnsettled(new Error(CLOSED_WHILE_COMPRESSING), clock);
    return;
  }
  if (chunks.length > 0) {
    // Only a write that callbacks or the high-water mark wait on asks to be told it completed:
    // the usual write (no callback, no automatic pong, far below the mark) costs no function.
    const report = highWater.reportFor(transport.bufferedAmount, chunks);
    if (callbacks === null || callbacks.isEmpty) transport.write(chunks, report);
    else {
      const write = callbacks.issued();
      transport.write(chunks, (error) => {
        callbacks.written(write, error ?? null);
        report?.(error);
      });
    }
  }
  if (callbacks !== null && !connection.isSending) callbacks.settle(clock);
}
