/**
 * A DeflateCodec in plain TypeScript (no zlib, no Web streams), so permessage-deflate works in
 * any runtime: Deno, browsers, workers, Bun, or Node without node:zlib.
 *
 * Why not CompressionStream('deflate-raw')? It cannot sync-flush: the only way to get all of a
 * message's output is to close the stream, which ends it with a final block. That rules out
 * context takeover when sending, and fragmented sends could only be emitted once the whole
 * message is known. DecompressionStream has no way to say "all output for this input has been
 * produced", to bound output while inflating, or to continue a stream across messages. A
 * small synchronous encoder/decoder has none of these limits: it supports every window size
 * (8 to 15, both ways), context takeover in both directions and bounded inflation.
 *
 * Trade-off: compression is LZ77 + the fixed Huffman code (typically 10-30% larger than zlib
 * output on text), and both directions are slower than zlib. Synchronous: no ordering waits.
 */
import type { CodecStreamOptions, Compressor, Decompressor, DeflateCodec } from './codec.js';
import { Deflater } from './pure/deflate.js';
import { Inflater } from './pure/inflate.js';

class PureCompressor implements Compressor {
  private deflater: Deflater | undefined;
  constructor(private readonly windowBits: number) {}

  compress(data: Uint8Array): Uint8Array {
    this.deflater ??= new Deflater(this.windowBits);
    return this.deflater.compress(data);
  }
  reset(): void {
    this.deflater?.reset();
  }
  dispose(): void {
    this.deflater = undefined;
  }
}

class PureDecompressor implements Decompressor {
  private inflater: Inflater | undefined;
  constructor(private readonly windowBits: number) {}

  decompress(pieces: readonly Uint8Array[], maxBytes: number): Uint8Array | undefined {
    const inflater = (this.inflater ??= new Inflater(1 << this.windowBits));
    // After a final block (BFINAL) the next message is a new stream (RFC 7692 §7.2.3.4).
    if (inflater.ended) inflater.reset();
    return inflater.push(pieces, maxBytes);
  }
  reset(): void {
    this.inflater?.reset();
  }
  dispose(): void {
    this.inflater = undefined;
  }
}

/** The pure-TypeScript codec: pass it to `createPerMessageDeflate`. Stateless; share it freely. */
export const pureDeflateCodec: DeflateCodec = {
  createCompressor: ({ windowBits }: CodecStreamOptions) => new PureCompressor(windowBits),
  createDecompressor: ({ windowBits }: CodecStreamOptions) => new PureDecompressor(windowBits),
};
