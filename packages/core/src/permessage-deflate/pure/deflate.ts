/**
 * A raw DEFLATE encoder (RFC 1951) in plain TypeScript, for runtimes without zlib: greedy LZ77
 * over hash chains, coded with the fixed Huffman code (§3.2.6), or as stored blocks when that
 * is smaller. Every call ends with a sync flush (an empty stored block: 00 00 FF FF), and the
 * history is kept across calls unless `reset()` is called, so it supports context takeover.
 * Distances never exceed 2^windowBits, so a peer with a small window can inflate the output.
 */
import { DIST_BASE, DIST_EXTRA, END_OF_BLOCK, LENGTH_BASE, LENGTH_EXTRA, MAX_MATCH, MIN_MATCH } from './deflate-tables.js';

const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;
/** How many chain links to follow per position: speed against ratio. */
const MAX_CHAIN = 48;
const MAX_STORED = 0xffff;

/** Writes bits least significant first (§3.1.1) into a growing buffer. */
class BitWriter {
  private buf = new Uint8Array(256);
  private length = 0;
  private bitBuf = 0;
  private bitCount = 0;

  bits(value: number, count: number): void {
    this.bitBuf |= value << this.bitCount;
    this.bitCount += count;
    while (this.bitCount >= 8) {
      this.byte(this.bitBuf & 0xff);
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
    }
  }

  /** Pads to a byte boundary with zero bits. */
  align(): void {
    if (this.bitCount > 0) this.bits(0, 8 - this.bitCount);
  }

  byte(value: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = value;
  }

  bytes(data: Uint8Array): void {
    if (this.length + data.length > this.buf.length) this.grow(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  private grow(extra: number): void {
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }

  get size(): number {
    return this.length;
  }

  take(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** §3.2.6 fixed code for a literal/length symbol, bit-reversed for LSB-first writing. */
const FIXED_CODE = new Uint16Array(288);
const FIXED_BITS = new Uint8Array(288);
const reverse = (code: number, bits: number): number => {
  let out = 0;
  for (let i = 0; i < bits; i++) out |= ((code >> i) & 1) << (bits - 1 - i);
  return out;
};
for (let s = 0; s < 288; s++) {
  const [code, bits] = s < 144 ? [0x30 + s, 8] : s < 256 ? [0x190 + s - 144, 9] : s < 280 ? [s - 256, 7] : [0xc0 + s - 280, 8];
  FIXED_CODE[s] = reverse(code, bits);
  FIXED_BITS[s] = bits;
}
const FIXED_DIST_CODE = Uint8Array.from({ length: 30 }, (_, d) => reverse(d, 5));

/** Maps a match length 3..258 to its length code index (0..28), and a distance to its code (0..29). */
const LENGTH_INDEX = new Uint8Array(MAX_MATCH + 1);
for (let i = 0; i < 29; i++) {
  const end = i + 1 < 29 ? LENGTH_BASE[i + 1]! : MAX_MATCH + 1;
  for (let len = LENGTH_BASE[i]!; len < end && len <= MAX_MATCH; len++) LENGTH_INDEX[len] = i;
}
LENGTH_INDEX[MAX_MATCH] = 28; // 258 has its own code (285), not 284 + 31.
function distanceCode(distance: number): number {
  let code = 0;
  while (code < 29 && DIST_BASE[code + 1]! <= distance) code++;
  return code;
}

export class Deflater {
  /** History (at most one window) followed by the data being compressed; positions index it. */
  private buf: Uint8Array = new Uint8Array(0);
  private end = 0;
  /** Matches must not reach before this position (a reset starts a new stream). */
  private streamStart = 0;
  /** Positions below this are in the hash chains. */
  private hashed = 0;
  private readonly head = new Int32Array(HASH_SIZE).fill(-1);
  private readonly prev: Int32Array;
  private readonly windowSize: number;

  constructor(windowBits: number) {
    this.windowSize = 1 << windowBits;
    this.prev = new Int32Array(this.windowSize).fill(-1);
  }

  /** Compresses `data` as the next part of the stream and ends with a sync flush. */
  compress(data: Uint8Array): Uint8Array {
    this.append(data);
    const start = this.end - data.length;
    let out = new BitWriter();
    if (data.length > 0) {
      this.encodeFixed(out, start);
      // Stored blocks cost 5 bytes per 65535: use them when the fixed code would expand the data.
      const storedSize = data.length + 5 * Math.ceil(data.length / MAX_STORED);
      if (out.size > storedSize) {
        out = new BitWriter();
        this.writeStored(out, data);
      }
    }
    // §7.2.1 of RFC 7692 via a sync flush: an empty stored block, BFINAL = 0.
    out.bits(0, 3);
    out.align();
    out.bytes(SYNC_MARKER);
    this.trim();
    return out.take();
  }

  /** Forgets the history: the next call starts a new stream (no context takeover). */
  reset(): void {
    this.streamStart = this.end;
    this.hashed = this.end;
  }

  private writeStored(out: BitWriter, data: Uint8Array): void {
    for (let offset = 0; offset < data.length; offset += MAX_STORED) {
      const chunk = data.subarray(offset, Math.min(offset + MAX_STORED, data.length));
      out.bits(0, 3); // BFINAL = 0, BTYPE = 00 (§3.2.4)
      out.align();
      out.byte(chunk.length & 0xff);
      out.byte(chunk.length >> 8);
      out.byte(~chunk.length & 0xff);
      out.byte((~chunk.length >> 8) & 0xff);
      out.bytes(chunk);
    }
  }

  /** One fixed-Huffman block (BFINAL = 0, BTYPE = 01) for buf[start, end). */
  private encodeFixed(out: BitWriter, start: number): void {
    out.bits(0b010, 3);
    const { buf, end } = this;
    // Positions of the history left unhashed last time (too close to its end) can be hashed now.
    for (let p = Math.max(this.hashed, this.streamStart); p < start && p + MIN_MATCH <= end; p++) this.insert(p);
    let i = start;
    while (i < end) {
      const length = this.longestMatch(i);
      if (length >= MIN_MATCH) {
        const distance = this.matchDistance;
        const index = LENGTH_INDEX[length]!;
        out.bits(FIXED_CODE[257 + index]!, FIXED_BITS[257 + index]!);
        out.bits(length - LENGTH_BASE[index]!, LENGTH_EXTRA[index]!);
        const code = distanceCode(distance);
        out.bits(FIXED_DIST_CODE[code]!, 5);
        out.bits(distance - DIST_BASE[code]!, DIST_EXTRA[code]!);
        for (const stop = i + length; i < stop; i++) if (i + MIN_MATCH <= end) this.insert(i);
      } else {
        out.bits(FIXED_CODE[buf[i]!]!, FIXED_BITS[buf[i]!]!);
        if (i + MIN_MATCH <= end) this.insert(i);
        i++;
      }
    }
    out.bits(FIXED_CODE[END_OF_BLOCK]!, FIXED_BITS[END_OF_BLOCK]!);
  }

  private hash(p: number): number {
    const b = this.buf;
    return Math.imul((b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!, 0x9e3779b1) >>> (32 - HASH_BITS);
  }

  private insert(p: number): void {
    const h = this.hash(p);
    this.prev[p & (this.windowSize - 1)] = this.head[h]!;
    this.head[h] = p;
    this.hashed = p + 1;
  }

  /** Distance of the match `longestMatch` last found. */
  private matchDistance = 0;

  /** The length of the longest earlier match for position i within the window (0 if none); sets `matchDistance`. */
  private longestMatch(i: number): number {
    const { buf, end } = this;
    const maxLength = Math.min(MAX_MATCH, end - i);
    if (maxLength < MIN_MATCH) return 0;
    const lowest = Math.max(this.streamStart, i - this.windowSize);
    let candidate = this.head[this.hash(i)]!;
    let bestLength = 0;
    let bestDistance = 0;
    for (let chain = 0; chain < MAX_CHAIN && candidate >= lowest && candidate < i; chain++) {
      if (buf[candidate + bestLength] === buf[i + bestLength]) {
        let length = 0;
        while (length < maxLength && buf[candidate + length] === buf[i + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestDistance = i - candidate;
          if (length === maxLength) break;
        }
      }
      const next = this.prev[candidate & (this.windowSize - 1)]!;
      if (next >= candidate) break; // a slot reused by a newer position: the chain ends here
      candidate = next;
    }
    this.matchDistance = bestDistance;
    return bestLength;
  }

  /** Appends data after the history, sliding out what is older than one window. */
  private append(data: Uint8Array): void {
    if (this.end + data.length > this.buf.length) this.slide(data.length);
    this.buf.set(data, this.end);
    this.end += data.length;
  }

  /**
   * Drops bytes older than one window and makes room for `extra` more. Positions move down by
   * a multiple of the window size, so `prev` (indexed by position modulo the window) keeps its
   * slots and only its values are renumbered. A buffer grown by a large message shrinks back.
   */
  private slide(extra: number): void {
    const size = this.windowSize;
    const keepFrom = Math.max(this.streamStart, this.end - size);
    const shift = Math.floor(keepFrom / size) * size;
    const needed = this.end - shift + extra;
    if (this.buf.length >= needed && this.buf.length <= 4 * size + needed) {
      this.buf.copyWithin(0, shift, this.end);
    } else {
      const next = new Uint8Array(Math.max(needed, 2 * size));
      next.set(this.buf.subarray(shift, this.end));
      this.buf = next;
    }
    if (shift === 0) return;
    const renumber = (table: Int32Array): void => {
      for (let k = 0; k < table.length; k++) table[k] = table[k]! >= shift ? table[k]! - shift : -1;
    };
    renumber(this.head);
    renumber(this.prev);
    this.end -= shift;
    this.streamStart -= shift;
    this.hashed = Math.max(0, this.hashed - shift);
  }

  /** After a large message, give the memory back (keep one window of history). */
  private trim(): void {
    if (this.buf.length > 4 * this.windowSize) this.slide(0);
  }
}

const SYNC_MARKER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
