/**
 * One connection's outbound DEFLATE stream on node:zlib: a DeflateRaw opened on first use,
 * reset (not re-created) when a context must be dropped, closed on dispose. Small messages are
 * compressed by a synchronous call on the stream's handle (`zlib-sync.ts`), bigger ones by an
 * asynchronous write through the process-wide Limiter; both continue the same stream.
 */
import { type DeflateRaw, type ZlibOptions, constants, createDeflateRaw } from 'node:zlib';
import type { Compressor } from '@sansock/core';
import type { Limiter } from './limiter.js';
import { type Job, OutputChunks, closedWhileBusy } from './output-chunks.js';
import { SyncZlib, scratchOutput, syncZlibSupported } from './zlib-sync.js';

/** A non-final stored block of length 0 (RFC 1951 §3.2.4): what a sync flush of nothing writes. */
const emptyStoredBlock = (): Uint8Array => Uint8Array.of(0x00, 0x00, 0x00, 0xff, 0xff);

/** How the codec runs a stream: see `ZlibCodecOptions`. */
export interface ZlibStreamSettings {
  readonly limiter: Limiter;
  /** Operations on inputs up to this many bytes run synchronously (0: never). */
  readonly syncMaxBytes: number;
  /** zlib's output chunk (the `chunkSize` option, 16 KiB by default). */
  readonly chunkSize: number;
}

export class ZlibCompressor implements Compressor {
  private stream: DeflateRaw | undefined;
  /** The stream's synchronous calls, when this runtime has them and small messages may use them. */
  private sync: SyncZlib | undefined;
  private output = new OutputChunks();
  private job: Job<Uint8Array> | undefined;
  /**
   * Asynchronous compressions not settled yet (queued in the Limiter or running). While there
   * is one, the handle is not free for a synchronous call, which would also overtake it.
   */
  private unsettled = 0;
  private disposed = false;

  constructor(
    private readonly options: ZlibOptions,
    private readonly settings: ZlibStreamSettings,
  ) {}

  compress(data: Uint8Array): Uint8Array | Promise<Uint8Array> {
    // zlib answers a sync flush with no input right after another sync flush with nothing at all
    // (Z_BUF_ERROR), and every message here ends with one. The stream is byte-aligned there, so
    // an empty stored block is the whole output, and zlib's state need not change.
    if (data.length === 0) return emptyStoredBlock();
    if (this.unsettled === 0 && data.length <= this.settings.syncMaxBytes) {
      this.stream ??= this.open();
      if (this.sync !== undefined) return this.compressSoon(data);
    }
    return this.compressAsync(data);
  }

  /**
   * Compresses synchronously, in a microtask rather than inside `send()`. `ws` compresses on the
   * thread pool, and code written for it sees a message being compressed: it counts in
   * `bufferedAmount` (uncompressed) right after `send()`, and a `terminate()` or `close()` in
   * the same tick fails its callback ("The socket was closed while data was being compressed").
   * Settling after the current tick keeps both; the thread pool's round trip is still saved.
   */
  private compressSoon(data: Uint8Array): Promise<Uint8Array> {
    this.unsettled++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const job: Job<Uint8Array> = { resolve, reject };
      this.job = job;
      queueMicrotask(() => {
        this.unsettled--;
        const sync = this.sync;
        if (this.job !== job || sync === undefined) return; // disposed meanwhile: already rejected
        this.job = undefined;
        try {
          resolve(this.compressSync(sync, data));
        } catch (error) {
          reject(error as Error); // as from the thread pool: the Connection fails with 1011
        }
      });
    });
  }

  /** All of `data` through zlib now, one output chunk at a time (zlib stops when out of space). */
  private compressSync(sync: SyncZlib, data: Uint8Array): Uint8Array {
    const scratch = scratchOutput(this.settings.chunkSize);
    const output = new OutputChunks();
    let offset = 0;
    let left = data.length;
    try {
      do {
        sync.write(data, offset, left, scratch);
        output.copy(scratch, scratch.length - sync.availOut);
        offset += left - sync.availIn;
        left = sync.availIn;
      } while (sync.availOut === 0);
    } catch (error) {
      this.letGo(); // zlib cannot continue after an error; the next message opens a new stream
      throw error;
    }
    return output.join();
  }

  private compressAsync(data: Uint8Array): Promise<Uint8Array> {
    this.unsettled++;
    const settled = (): void => {
      this.unsettled--;
    };
    const result = this.settings.limiter.run(
      () =>
        new Promise<Uint8Array>((resolve, reject) => {
          // Disposed while this waited for a slot: no new stream for a connection that is gone.
          if (this.disposed) return reject(closedWhileBusy());
          const stream = (this.stream ??= this.open());
          this.job = { resolve, reject };
          // One zlib call per message: the stream flushes every write with Z_SYNC_FLUSH (see
          // open()), so its callback comes once the whole message is out.
          stream.write(data, () => {
            if (this.stream !== stream || this.job === undefined) return; // disposed meanwhile
            if (stream.errored !== null) {
              // Deno calls back (without an error) before its 'error' event: the same failure.
              this.letGo();
              this.settleWithError(stream.errored);
              return;
            }
            const out = this.output.join();
            this.output = new OutputChunks();
            this.job = undefined;
            resolve(out);
          });
        }),
    );
    result.then(settled, settled);
    return result;
  }

  private open(): DeflateRaw {
    // Z_SYNC_FLUSH on every write ends each message's output on a byte boundary with
    // 00 00 FF FF (RFC 7692 §7.2.1), in the same thread-pool job as the compression itself
    // (a write followed by flush() would take two).
    const stream = createDeflateRaw({ ...this.options, flush: constants.Z_SYNC_FLUSH });
    this.sync = this.settings.syncMaxBytes > 0 && syncZlibSupported() ? new SyncZlib(stream) : undefined;
    stream.on('data', (chunk: Buffer) => this.output.push(chunk));
    stream.on('error', (error: Error) => {
      // zlib closes the handle itself after an error. A stream already let go has no job.
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.sync = undefined;
      this.settleWithError(error);
    });
    return stream;
  }

  private letGo(): void {
    const stream = this.stream;
    this.stream = undefined;
    this.sync = undefined;
    stream?.close();
  }

  private settleWithError(error: Error): void {
    const job = this.job;
    this.job = undefined;
    this.output = new OutputChunks();
    job?.reject(error);
  }

  reset(): void {
    this.stream?.reset();
  }

  dispose(): void {
    this.disposed = true;
    this.letGo();
    this.settleWithError(closedWhileBusy());
  }
}
