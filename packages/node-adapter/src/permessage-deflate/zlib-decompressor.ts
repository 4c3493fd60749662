/**
 * One connection's inbound DEFLATE stream on node:zlib: an InflateRaw opened on first use,
 * reset when a context must be dropped, let go after a bomb, an error or a final block, closed
 * on dispose. A small frame is inflated by synchronous calls on the stream's handle
 * (`zlib-sync.ts`) while its output stays small; the rest goes to asynchronous writes through
 * the process-wide Limiter, on the same stream, so a bomb never blocks the event loop for long.
 */
import { type InflateRaw, type ZlibOptions, constants, createInflateRaw } from 'node:zlib';
import type { Decompressor } from '@sansock/core';
import { EMPTY, type Job, OutputChunks, closedWhileBusy } from './output-chunks.js';
import type { ZlibStreamSettings } from './zlib-compressor.js';
import { SyncZlib, scratchOutput, syncZlibSupported } from './zlib-sync.js';

interface InflateJob extends Job<Uint8Array | undefined> {
  readonly maxBytes: number;
  readonly output: OutputChunks;
}

/** Where a synchronous inflation stopped because its output passed the synchronous budget. */
interface Handover {
  /** The rest of the frame: zlib still holds output for what it consumed, so even empty it is written. */
  readonly pieces: Uint8Array[];
  readonly output: OutputChunks;
}

export class ZlibDecompressor implements Decompressor {
  private stream: InflateRaw | undefined;
  private sync: SyncZlib | undefined;
  private job: InflateJob | undefined;
  /** Asynchronous inflations not settled yet: while there is one, no synchronous call. */
  private unsettled = 0;
  private disposed = false;

  constructor(
    private readonly options: ZlibOptions,
    private readonly settings: ZlibStreamSettings,
  ) {}

  decompress(pieces: readonly Uint8Array[], maxBytes: number): Uint8Array | undefined | Promise<Uint8Array | undefined> {
    if (this.unsettled === 0 && inputLength(pieces) <= this.settings.syncMaxBytes) {
      this.stream ??= this.open();
      const sync = this.sync;
      if (sync !== undefined) {
        const result = this.inflateSync(sync, pieces, maxBytes);
        return isHandover(result) ? this.inflateAsync(result.pieces, maxBytes, result.output) : result;
      }
    }
    return this.inflateAsync(pieces, maxBytes, new OutputChunks());
  }

  /**
   * Inflates now, one output chunk per zlib call, counting output as it comes: past `maxBytes`
   * it stops (a bomb costs at most maxBytes + one chunk) and returns undefined. Past the
   * synchronous output budget it hands the rest over to the asynchronous path. Throws zlib's
   * error for invalid data.
   */
  private inflateSync(sync: SyncZlib, pieces: readonly Uint8Array[], maxBytes: number): Uint8Array | undefined | Handover {
    const scratch = scratchOutput(this.settings.chunkSize);
    // Four times the input bound: messages that compress up to 4:1 inflate in one go; a higher
    // ratio (a bomb, or very repetitive data) continues on the thread pool.
    const budget = 4 * this.settings.syncMaxBytes;
    const output = new OutputChunks();
    let firstCall = true;
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index]!;
      let offset = 0;
      let left = piece.length;
      for (;;) {
        try {
          sync.write(piece, offset, left, scratch);
        } catch (error) {
          this.discard(); // zlib cannot continue after an error; the next message opens a new stream
          throw error;
        }
        const produced = scratch.length - sync.availOut;
        const consumed = left - sync.availIn;
        const restart = firstCall && consumed === 0 && produced === 0;
        firstCall = false;
        if (output.length + produced > maxBytes) {
          this.discard();
          return undefined;
        }
        output.copy(scratch, produced);
        offset += consumed;
        left = sync.availIn;
        if (sync.availOut !== 0) {
          if (left === 0) break; // all of the piece is in, all of its output is out
          // Output space left and input not taken: the stream has ended (a final block,
          // RFC 7692 §7.2.3.4). The rest of this call is ignored; the next starts a new stream.
          // If nothing at all was taken, it ended in an earlier call: this call is the new stream.
          this.stream?.reset();
          if (restart) continue;
          return output.join();
        }
        if (output.length >= budget) {
          return { pieces: [piece.subarray(offset), ...pieces.slice(index + 1)], output };
        }
      }
    }
    return output.join();
  }

  private inflateAsync(pieces: readonly Uint8Array[], maxBytes: number, output: OutputChunks): Promise<Uint8Array | undefined> {
    this.unsettled++;
    const settled = (): void => {
      this.unsettled--;
    };
    const result = this.settings.limiter.run(
      () =>
        new Promise<Uint8Array | undefined>((resolve, reject) => {
          // Disposed while this waited for a slot: no new stream for a connection that is gone.
          if (this.disposed) return reject(closedWhileBusy());
          const stream = (this.stream ??= this.open());
          this.job = { resolve, reject, maxBytes, output };
          // Every write is inflated with Z_SYNC_FLUSH (see open()): once the last one is done,
          // all output for the message has been emitted.
          const last = pieces.length - 1;
          for (let i = 0; i < last; i++) stream.write(pieces[i]!);
          stream.write(last >= 0 ? pieces[last]! : EMPTY, () => {
            const job = this.job;
            if (this.stream !== stream || job === undefined) return; // settled by overflow, error or dispose
            this.job = undefined;
            if (stream.errored !== null) {
              // Deno calls back (without an error) before its 'error' event: the same failure.
              this.discard();
              job.reject(stream.errored);
              return;
            }
            // A block with BFINAL ended the stream (RFC 7692 §7.2.3.4): the next message starts a new one.
            if (stream.readableEnded) this.discard();
            resolve(job.output.join());
          });
        }),
    );
    result.then(settled, settled);
    return result;
  }

  private open(): InflateRaw {
    const stream = createInflateRaw({ ...this.options, flush: constants.Z_SYNC_FLUSH });
    this.sync = this.settings.syncMaxBytes > 0 && syncZlibSupported() ? new SyncZlib(stream) : undefined;
    stream.on('data', (chunk: Buffer) => {
      const job = this.job;
      if (job === undefined || this.stream !== stream) return;
      if (job.output.length + chunk.length > job.maxBytes) {
        // A bomb: stop inflating now, drop what came out; memory stays at maxBytes + one chunk.
        this.job = undefined;
        job.output.clear();
        this.discard();
        job.resolve(undefined);
        return;
      }
      job.output.push(chunk);
    });
    stream.on('error', (error: Error) => {
      // zlib closes the handle itself after an error. A stream already let go has no job.
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.sync = undefined;
      const job = this.job;
      this.job = undefined;
      job?.reject(error);
    });
    return stream;
  }

  /** Closes the stream (destroying it stops zlib from producing more output). */
  private discard(): void {
    const stream = this.stream;
    this.stream = undefined;
    this.sync = undefined;
    stream?.close();
  }

  reset(): void {
    // After an overflow or an error the stream is already gone: the next call opens a new one.
    this.stream?.reset();
  }

  dispose(): void {
    this.disposed = true;
    this.discard();
    const job = this.job;
    this.job = undefined;
    job?.reject(closedWhileBusy());
  }
}

function inputLength(pieces: readonly Uint8Array[]): number {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length;
}

const isHandover = (result: Uint8Array | undefined | Handover): result is Handover =>
  result !== undefined && !(result instanceof Uint8Array);
