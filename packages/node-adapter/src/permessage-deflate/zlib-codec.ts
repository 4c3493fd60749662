/**
 * The permessage-deflate codec on node:zlib: one DeflateRaw and one InflateRaw stream per
 * connection, created on first use, reset (not re-created) when a context must be dropped,
 * closed on dispose. Every operation goes through the process-wide Limiter.
 */
import { type DeflateRaw, type InflateRaw, type ZlibOptions, constants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import type { CodecStreamOptions, Compressor, Decompressor, DeflateCodec } from '@sansock/core';
import type { Limiter } from './limiter.js';

function join(chunks: Buffer[], length: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}

const EMPTY = new Uint8Array(0);

/** A non-final stored block of length 0 (RFC 1951 §3.2.4): what a sync flush of nothing writes. */
const emptyStoredBlock = (): Uint8Array => Uint8Array.of(0x00, 0x00, 0x00, 0xff, 0xff);

const closedWhileBusy = (): Error => new Error('The zlib stream was closed while data was being processed');

/** Settles the one operation in flight on a stream. */
interface Job<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

class ZlibCompressor implements Compressor {
  private stream: DeflateRaw | undefined;
  private chunks: Buffer[] = [];
  private length = 0;
  private job: Job<Uint8Array> | undefined;

  constructor(
    private readonly options: ZlibOptions,
    private readonly limiter: Limiter,
  ) {}

  compress(data: Uint8Array): Uint8Array | Promise<Uint8Array> {
    // zlib answers a sync flush with no input right after another sync flush with nothing at all
    // (Z_BUF_ERROR), and every message here ends with one. The stream is byte-aligned there, so
    // an empty stored block is the whole output, and zlib's state need not change.
    if (data.length === 0) return emptyStoredBlock();
    return this.limiter.run(
      () =>
        new Promise<Uint8Array>((resolve, reject) => {
          const stream = (this.stream ??= this.open());
          this.job = { resolve, reject };
          // One zlib call per message: the stream flushes every write with Z_SYNC_FLUSH (see
          // open()), so its callback comes once the whole message is out.
          stream.write(data, () => {
            if (this.stream !== stream || this.job === undefined) return; // disposed meanwhile
            const out = join(this.chunks, this.length);
            this.chunks = [];
            this.length = 0;
            this.job = undefined;
            resolve(out);
          });
        }),
    );
  }

  private open(): DeflateRaw {
    // Z_SYNC_FLUSH on every write ends each message's output on a byte boundary with
    // 00 00 FF FF (RFC 7692 §7.2.1), in the same thread-pool job as the compression itself
    // (a write followed by flush() would take two).
    const stream = createDeflateRaw({ ...this.options, flush: constants.Z_SYNC_FLUSH });
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
    });
    stream.on('error', (error: Error) => {
      // zlib closes the handle itself after an error. A stream already let go has no job.
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.settleWithError(error);
    });
    return stream;
  }

  private settleWithError(error: Error): void {
    const job = this.job;
    this.job = undefined;
    this.chunks = [];
    this.length = 0;
    job?.reject(error);
  }

  reset(): void {
    this.stream?.reset();
  }

  dispose(): void {
    const stream = this.stream;
    this.stream = undefined;
    stream?.close();
    this.settleWithError(closedWhileBusy());
  }
}

interface InflateJob extends Job<Uint8Array | undefined> {
  readonly maxBytes: number;
  chunks: Buffer[];
  length: number;
}

class ZlibDecompressor implements Decompressor {
  private stream: InflateRaw | undefined;
  private job: InflateJob | undefined;

  constructor(
    private readonly options: ZlibOptions,
    private readonly limiter: Limiter,
  ) {}

  decompress(pieces: readonly Uint8Array[], maxBytes: number): Promise<Uint8Array | undefined> {
    return this.limiter.run(
      () =>
        new Promise<Uint8Array | undefined>((resolve, reject) => {
          const stream = (this.stream ??= this.open());
          this.job = { resolve, reject, maxBytes, chunks: [], length: 0 };
          // Every write is inflated with Z_SYNC_FLUSH (see open()): once the last one is done,
          // all output for the message has been emitted.
          const last = pieces.length - 1;
          for (let i = 0; i < last; i++) stream.write(pieces[i]!);
          stream.write(last >= 0 ? pieces[last]! : EMPTY, () => {
            const job = this.job;
            if (this.stream !== stream || job === undefined) return; // settled by overflow, error or dispose
            this.job = undefined;
            // A block with BFINAL ended the stream (RFC 7692 §7.2.3.4): the next message starts a new one.
            if (stream.readableEnded) this.discard();
            resolve(join(job.chunks, job.length));
          });
        }),
    );
  }

  private open(): InflateRaw {
    const stream = createInflateRaw({ ...this.options, flush: constants.Z_SYNC_FLUSH });
    stream.on('data', (chunk: Buffer) => {
      const job = this.job;
      if (job === undefined || this.stream !== stream) return;
      job.length += chunk.length;
      if (job.length > job.maxBytes) {
        // A bomb: stop inflating now, drop what came out; memory stays at maxBytes + one chunk.
        this.job = undefined;
        job.chunks = [];
        this.discard();
        job.resolve(undefined);
        return;
      }
      job.chunks.push(chunk);
    });
    stream.on('error', (error: Error) => {
      // zlib closes the handle itself after an error. A stream already let go has no job.
      if (this.stream !== stream) return;
      this.stream = undefined;
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
    stream?.close();
  }

  reset(): void {
    // After an overflow or an error the stream is already gone: the next call opens a new one.
    this.stream?.reset();
  }

  dispose(): void {
    this.discard();
    const job = this.job;
    this.job = undefined;
    job?.reject(closedWhileBusy());
  }
}

/** Options of the zlib streams: the `ws` `zlibDeflateOptions` / `zlibInflateOptions`. */
export interface ZlibCodecOptions {
  readonly zlibDeflateOptions?: ZlibOptions;
  readonly zlibInflateOptions?: ZlibOptions;
}

/**
 * A DeflateCodec on node:zlib. The negotiated window overrides any `windowBits` in the zlib
 * options. Window 8: zlib cannot open a raw deflate stream with an 8-bit window and Node turns
 * it into 9; that output is still valid for a 256-byte window, because zlib never emits a
 * distance beyond 2^windowBits - 262 (250 for 9 bits). zlib inflates with 8 bits as asked.
 */
export function createZlibCodec(options: ZlibCodecOptions, limiter: Limiter): DeflateCodec {
  return {
    createCompressor: ({ windowBits }: CodecStreamOptions) =>
      new ZlibCompressor({ ...options.zlibDeflateOptions, windowBits }, limiter),
    createDecompressor: ({ windowBits }: CodecStreamOptions) =>
      new ZlibDecompressor({ ...options.zlibInflateOptions, windowBits }, limiter),
  };
}
