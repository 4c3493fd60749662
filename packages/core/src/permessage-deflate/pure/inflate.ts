/**
 * A streaming raw DEFLATE decoder (RFC 1951) in plain TypeScript, for runtimes without zlib.
 * Input may stop anywhere (mid-symbol, mid-header): each symbol and each block header is read
 * atomically, and when the input runs out the reader rewinds to the last boundary and keeps
 * the unread bytes for the next call. The history window persists across calls (context
 * takeover) and output stops as soon as it passes the caller's limit.
 *
 * Huffman decoding is canonical and bit-serial (as in zlib's `puff`): small and exact rather
 * than fast.
 */
import { CODE_LENGTH_ORDER, DIST_BASE, DIST_EXTRA, END_OF_BLOCK, LENGTH_BASE, LENGTH_EXTRA, fixedDistanceLengths, fixedLiteralLengths } from './deflate-tables.js';

/** Raised when the input runs out: the current step is rewound and retried with more input. */
class NeedInput {}
const NEED_INPUT = new NeedInput();

/** Invalid DEFLATE data. */
export class InflateError extends Error {
  override readonly name = 'InflateError';
}

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  readonly count: Uint16Array;
  readonly symbol: Uint16Array;
}

const MAX_BITS = 15;

/**
 * Builds a code from code lengths. Over-subscribed sets are invalid; an incomplete set is
 * accepted only when it has a single code of length 1 (as zlib does), or no codes at all.
 */
function buildHuffman(lengths: Uint8Array, what: string): Huffman {
  const count = new Uint16Array(MAX_BITS + 1);
  for (const length of lengths) count[length]!++;
  count[0] = 0;
  let left = 1;
  let max = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = left * 2 - count[len]!;
    if (left < 0) throw new InflateError(`invalid ${what} code: over-subscribed`);
    if (count[len]! > 0) max = len;
  }
  if (left > 0 && max > 1) throw new InflateError(`invalid ${what} code: incomplete`);
  const offsets = new Uint16Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len]! + count[len]!;
  const symbol = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) if (lengths[s] !== 0) symbol[offsets[lengths[s]!]!++] = s;
  return { count, symbol };
}

let fixedCodes: { literal: Huffman; distance: Huffman } | undefined;
const fixed = () => (fixedCodes ??= { literal: buildHuffman(fixedLiteralLengths(), 'literal/length'), distance: buildHuffman(fixedDistanceLengths(), 'distance') });

const enum Step {
  /** Next: a block header (BFINAL, BTYPE and, for dynamic blocks, the code definitions). */
  HEADER,
  /** Inside a stored block: `storedLeft` bytes to copy. */
  STORED,
  /** Inside a Huffman-coded block. */
  CODES,
  /** After the final block: the stream is over. */
  DONE,
}

const WINDOW_SIZE = 1 << 15;
const WINDOW_MASK = WINDOW_SIZE - 1;

export class Inflater {
  private step = Step.HEADER;
  private final = false;
  private storedLeft = 0;
  private literal: Huffman | undefined;
  private distance: Huffman | undefined;
  // Bit reader (§3.1.1: bits are packed starting with the least significant).
  private input: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private bitBuf = 0;
  private bitCount = 0;
  // History: the last 32 KiB of output, for back-references (also across calls).
  private readonly window = new Uint8Array(WINDOW_SIZE);
  private windowPos = 0;
  /** Bytes output since the stream started (capped use: distances must not reach before it). */
  private produced = 0;
  // Output of the current call.
  private out: Uint8Array = new Uint8Array(0);
  private outLength = 0;
  private limit = 0;
  private overflow = false;

  /** `maxDistance`: the negotiated window, 2^windowBits; farther references are invalid. */
  constructor(private readonly maxDistance: number) {}

  /** Starts a new stream: forgets the history and any unread input. */
  reset(): void {
    this.step = Step.HEADER;
    this.final = false;
    this.storedLeft = 0;
    this.input = new Uint8Array(0);
    this.pos = 0;
    this.bitBuf = 0;
    this.bitCount = 0;
    this.windowPos = 0;
    this.produced = 0;
  }

  get ended(): boolean {
    return this.step === Step.DONE;
  }

  /**
   * Inflates `pieces` in order. Returns the output, or undefined when it passed `maxBytes`
   * (inflating stopped there). Throws InflateError on invalid data. Bytes after the final
   * block are ignored.
   */
  push(pieces: readonly Uint8Array[], maxBytes: number): Uint8Array | undefined {
    this.out = new Uint8Array(Math.min(maxBytes + 1, 1024));
    this.outLength = 0;
    this.limit = maxBytes;
    this.overflow = false;
    for (const piece of pieces) {
      if (this.step === Step.DONE) break;
      const rest = this.input.subarray(this.pos);
      this.input = rest.length === 0 ? piece : concat(rest, piece);
      this.pos = 0;
      this.run();
      if (this.overflow) return this.finish(undefined);
      // Keep what was not consumed (at most a partial header or symbol): copy, the caller owns the piece.
      this.input = this.input.slice(this.pos);
      this.pos = 0;
    }
    return this.finish(this.out.subarray(0, this.outLength));
  }

  private finish<T>(result: T): T {
    this.out = new Uint8Array(0);
    return result;
  }

  private run(): void {
    for (;;) {
      const savedPos = this.pos;
      const savedBitBuf = this.bitBuf;
      const savedBitCount = this.bitCount;
      try {
        switch (this.step) {
          case Step.HEADER:
            this.readHeader();
            break;
          case Step.STORED:
            if (this.copyStored() === 0 && this.storedLeft > 0) return;
            break;
          case Step.CODES:
            this.decodeSymbol();
            break;
          case Step.DONE:
            return;
        }
      } catch (error) {
        if (error !== NEED_INPUT) throw error;
        this.pos = savedPos;
        this.bitBuf = savedBitBuf;
        this.bitCount = savedBitCount;
        return;
      }
      if (this.overflow) return;
    }
  }

  private need(n: number): void {
    while (this.bitCount < n) {
      if (this.pos >= this.input.length) throw NEED_INPUT;
      this.bitBuf |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
  }

  private bits(n: number): number {
    this.need(n);
    const value = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return value;
  }

  /** §3.2.3 block header, §3.2.4 stored block header, §3.2.7 dynamic code definitions: read whole or not at all. */
  private readHeader(): void {
    const final = this.bits(1) === 1;
    const type = this.bits(2);
    if (type === 0) {
      // §3.2.4: skip to a byte boundary, then LEN and its one's complement NLEN.
      this.bits(this.bitCount & 7);
      const len = this.bits(16);
      const nlen = this.bits(16);
      if ((len ^ 0xffff) !== nlen) throw new InflateError('invalid stored block lengths');
      this.final = final;
      this.storedLeft = len;
      this.step = Step.STORED;
    } else if (type === 1) {
      const codes = fixed();
      this.literal = codes.literal;
      this.distance = codes.distance;
      this.final = final;
      this.step = Step.CODES;
    } else if (type === 2) {
      this.readDynamicCodes();
      this.final = final;
      this.step = Step.CODES;
    } else {
      throw new InflateError('invalid block type');
    }
  }

  private readDynamicCodes(): void {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw new InflateError('too many length or distance symbols');
    const codeLengths = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = this.bits(3);
    const lencode = buildHuffman(codeLengths, 'code length');
    const lengths = new Uint8Array(nlen + ndist);
    for (let i = 0; i < nlen + ndist; ) {
      const symbol = this.decode(lencode);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (symbol === 16) {
        if (i === 0) throw new InflateError('invalid bit length repeat');
        value = lengths[i - 1]!;
        repeat = 3 + this.bits(2);
      } else if (symbol === 17) {
        repeat = 3 + this.bits(3);
      } else {
        repeat = 11 + this.bits(7);
      }
      if (i + repeat > nlen + ndist) throw new InflateError('invalid bit length repeat');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[END_OF_BLOCK] === 0) throw new InflateError('invalid code -- missing end-of-block');
    this.literal = buildHuffman(lengths.subarray(0, nlen), 'literal/length');
    this.distance = buildHuffman(lengths.subarray(nlen), 'distance');
  }

  /** §3.2.2: one symbol, read bit by bit (codes are packed most significant bit first). */
  private decode(huffman: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = huffman.count[len]!;
      if (code - first < count) return huffman.symbol[index + code - first]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new InflateError('invalid code');
  }

  /** One literal, one length/distance pair, or the end of the block. */
  private decodeSymbol(): void {
    const symbol = this.decode(this.literal!);
    if (symbol < 256) {
      this.emit(symbol);
      return;
    }
    if (symbol === END_OF_BLOCK) {
      this.step = this.final ? Step.DONE : Step.HEADER;
      return;
    }
    const lengthIndex = symbol - 257;
    if (lengthIndex >= 29) throw new InflateError('invalid literal/length code');
    const length = LENGTH_BASE[lengthIndex]! + this.bits(LENGTH_EXTRA[lengthIndex]!);
    const distSymbol = this.decode(this.distance!);
    if (distSymbol >= 30) throw new InflateError('invalid distance code');
    const distance = DIST_BASE[distSymbol]! + this.bits(DIST_EXTRA[distSymbol]!);
    if (distance > this.maxDistance || distance > this.produced) throw new InflateError('invalid distance too far back');
    for (let i = 0; i < length && !this.overflow; i++) this.emit(this.window[(this.windowPos - distance) & WINDOW_MASK]!);
  }

  /** Copies what is available of a stored block; returns the number of bytes copied. */
  private copyStored(): number {
    let copied = 0;
    // Whole bytes still in the bit buffer come first (the header left it byte-aligned).
    while (this.storedLeft > 0 && this.bitCount >= 8 && !this.overflow) {
      this.emit(this.bitBuf & 0xff);
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
      this.storedLeft--;
      copied++;
    }
    while (this.storedLeft > 0 && this.pos < this.input.length && !this.overflow) {
      this.emit(this.input[this.pos++]!);
      this.storedLeft--;
      copied++;
    }
    if (this.storedLeft === 0) this.step = this.final ? Step.DONE : Step.HEADER;
    return copied;
  }

  private emit(byte: number): void {
    this.window[this.windowPos] = byte;
    this.windowPos = (this.windowPos + 1) & WINDOW_MASK;
    if (this.produced < WINDOW_SIZE) this.produced++;
    if (this.outLength === this.out.length) {
      if (this.outLength >= this.limit) {
        this.overflow = true;
        return;
      }
      const grown = new Uint8Array(Math.min(this.out.length * 2, this.limit + 1));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.outLength++] = byte;
    if (this.outLength > this.limit) this.overflow = true;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
