/**
 * The permessage-deflate codec on node:zlib: per connection one DeflateRaw and one InflateRaw
 * stream (`zlib-compressor.ts`, `zlib-decompressor.ts`), created on first use, reset (not
 * re-created) when a context must be dropped, closed on dispose. Small messages are handled by
 * synchronous calls on those streams (`zlib-sync.ts`); bigger ones go through the
 * process-wide Limiter to the thread pool.
 */
import { type ZlibOptions, constants } from 'node:zlib';
import type { CodecStreamOptions, DeflateCodec } from '@sansock/core';
import type { Limiter } from './limiter.js';
import { ZlibCompressor } from './zlib-compressor.js';
import { ZlibDecompressor } from './zlib-decompressor.js';

/**
 * Inputs up to this size are compressed or inflated synchronously, on the event loop. Measured
 * (deflate + inflate of JSON-like text, level 6, memLevel 8, persistent streams, Node 20, on the
 * shared 2-core machine): 1 KiB takes 9 µs of CPU synchronously against 60 µs through the thread
 * pool, whose round trips cost about 50 µs per message whatever its size; 16 KiB about 130 µs
 * against 350 µs, and the event loop pauses for no longer than a few round trips would take; 64
 * KiB about 1 ms either way, so synchronously the pause is long and buys little. Inflating may
 * go on synchronously up to 4 × this much output (zlib inflates several times faster than it
 * compresses), then the rest of the frame moves to the thread pool: a bomb cannot stall the loop.
 */
export const DEFAULT_SYNC_MAX_BYTES = 16 * 1024;

/** Options of the zlib streams: the `ws` `zlibDeflateOptions` / `zlibInflateOptions`. */
export interface ZlibCodecOptions {
  readonly zlibDeflateOptions?: ZlibOptions;
  readonly zlibInflateOptions?: ZlibOptions;
  /**
   * Messages (frames) up to this many bytes are compressed and inflated synchronously where
   * the runtime allows it; 0 sends every operation to the thread pool. Default 16 KiB.
   */
  readonly syncMaxBytes?: number;
}

/**
 * A DeflateCodec on node:zlib. The negotiated window overrides any `windowBits` in the zlib
 * options. Window 8: zlib cannot open a raw deflate stream with an 8-bit window and Node turns
 * it into 9; that output is still valid for a 256-byte window, because zlib never emits a
 * distance beyond 2^windowBits - 262 (250 for 9 bits). zlib inflates with 8 bits as asked.
 */
export function createZlibCodec(options: ZlibCodecOptions, limiter: Limiter): DeflateCodec {
  const syncMaxBytes = options.syncMaxBytes ?? DEFAULT_SYNC_MAX_BYTES;
  const settings = (zlib: ZlibOptions | undefined) => ({
    limiter,
    syncMaxBytes,
    chunkSize: zlib?.chunkSize ?? constants.Z_DEFAULT_CHUNK,
  });
  const deflate = settings(options.zlibDeflateOptions);
  const inflate = settings(options.zlibInflateOptions);
  return {
    createCompressor: ({ windowBits }: CodecStreamOptions) =>
      new ZlibCompressor({ ...options.zlibDeflateOptions, windowBits }, deflate),
    createDecompressor: ({ windowBits }: CodecStreamOptions) =>
      new ZlibDecompressor({ ...options.zlibInflateOptions, windowBits }, inflate),
  };
}
