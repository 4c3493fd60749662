/**
 * The byte transform permessage-deflate needs, injected by the adapter (node:zlib in Node, the
 * pure-TS codec in `pure-codec.ts` elsewhere). The codec knows DEFLATE (RFC 1951) and nothing of
 * WebSocket: the 00 00 FF FF trailer, RSV1, context-takeover policy and size limits stay in the
 * core (`deflate-extension.ts`), so every codec behaves the same on the wire.
 */

/** The base-2 logarithm of an LZ77 sliding window, as negotiated (RFC 7692 §7.1.2). */
export type WindowBits = 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;

export interface CodecStreamOptions {
  /**
   * The largest window the stream may use. A compressor must never emit a distance beyond
   * 2^windowBits; a decompressor must accept every distance up to it.
   */
  readonly windowBits: WindowBits;
}

/** One direction's raw DEFLATE stream, kept across messages unless `reset()` is called. */
export interface Compressor {
  /**
   * Appends `data` to the stream and ends the output with a sync flush (zlib Z_SYNC_FLUSH): the
   * result ends with an empty stored block, i.e. the bytes 00 00 FF FF. Called once per frame,
   * in order, never concurrently. May reject (the connection then fails with 1011).
   */
  compress(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Forgets the history: the next `compress` starts a new stream (no context takeover). */
  reset(): void;
  /** Releases the stream; a pending `compress` may reject. Called once. */
  dispose(): void;
}

export interface Decompressor {
  /**
   * Inflates the next pieces of the stream (one frame's payload, followed by 00 00 FF FF on a
   * message's last frame) and returns every byte they produce.
   *
   * Bounded output: as soon as more than `maxBytes` bytes have come out, it stops inflating,
   * drops what it has and returns `undefined` (a bomb must cost at most `maxBytes` plus one
   * internal chunk); the stream is then unusable until `reset()`. Invalid DEFLATE data throws
   * or rejects. When the data holds the stream's final block (BFINAL, RFC 7692 §7.2.3.4), what
   * follows it is ignored and the next call starts a new stream. Called in order, never
   * concurrently.
   */
  decompress(pieces: readonly Uint8Array[], maxBytes: number): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Forgets the history: the next `decompress` starts a new stream. */
  reset(): void;
  /** Releases the stream; a pending `decompress` may reject. Called once. */
  dispose(): void;
}

/** Creates the two streams of one connection. Streams should allocate lazily (on first use). */
export interface DeflateCodec {
  createCompressor(options: CodecStreamOptions): Compressor;
  createDecompressor(options: CodecStreamOptions): Decompressor;
}
