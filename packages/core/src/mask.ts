import { EMPTY } from './bytes.js';

/**
 * Masking, RFC 6455 §5.3: octet i of the payload is XORed with octet (i mod 4) of the key.
 * Applying the same key twice restores the input.
 */

/** Below this many bytes an unrolled byte loop beats setting up a 32-bit view (measured in bench/). */
const WORD_THRESHOLD = 256;

/** Scratch space to read a rotated key as one 32-bit word in memory order (allocated once). */
const keyBytes = new Uint8Array(4);
const keyWords = new Uint32Array(keyBytes.buffer);

/**
 * A faster XOR the runtime may offer, in the shape of the `bufferutil` addon's `mask` (Node):
 * writes `source[i] ^ key[i & 3]` to `target[targetOffset + i]` for every i below `length`.
 * The core calls it with `target === source` and offset 0 to unmask in place, and with another
 * target to mask while copying (one pass over the bytes). Optional: the core's own loop is the default.
 */
export type NativeMask = (source: Uint8Array, key: Uint8Array, target: Uint8Array, targetOffset: number, length: number) => void;

/** From this many bytes, a native mask is worth the call (and the rotated key it may need). */
const NATIVE_THRESHOLD = 1024;

/**
 * Masking while copying a frame is worth a native call from this many bytes: with bufferutil,
 * ~55 ns for 64 B against ~80 ns for the byte loop, and the loop wins below ~48 B (bench/).
 */
const NATIVE_COPY_THRESHOLD = 64;

/** Scratch space handing a frame's key to a native mask (allocated once). */
const nativeKey = new Uint8Array(4);

/** The key as seen from position `keyOffset` (a new 4-byte array; only for the native path). */
function rotatedKey(key: Uint8Array, keyOffset: number): Uint8Array {
  const k = keyOffset & 3;
  return k === 0 ? key : Uint8Array.of(key[k]!, key[(k + 1) & 3]!, key[(k + 2) & 3]!, key[(k + 3) & 3]!);
}

/**
 * XORs `data` in place with `key`, starting at key position `keyOffset` (so a payload that
 * arrives in pieces can be unmasked piece by piece).
 */
export function applyMask(data: Uint8Array, key: Uint8Array, keyOffset = 0, native?: NativeMask): void {
  if (native !== undefined && data.length >= NATIVE_THRESHOLD) native(data, rotatedKey(key, keyOffset), data, 0, data.length);
  else maskInto(data, data, key, keyOffset);
}

/**
 * Writes `source` XOR `key` (from key position `keyOffset`) into `target` at `targetOffset`,
 * through `native` for long runs when one is given: masking a frame while copying it, and
 * unmasking a payload piece straight into the message it belongs to.
 */
export function maskCopy(
  source: Uint8Array,
  target: Uint8Array,
  targetOffset: number,
  key: Uint8Array,
  keyOffset: number,
  native: NativeMask | undefined,
): void {
  const length = source.length;
  if (native !== undefined && length >= NATIVE_THRESHOLD) native(source, rotatedKey(key, keyOffset), target, targetOffset, length);
  else maskInto(source, target.subarray(targetOffset, targetOffset + length), key, keyOffset);
}

/**
 * Masks `source` into `frame` at `at`, with the key the frame carries in the 4 bytes before `at`
 * (§5.2: the masking key ends the header): what a client does for every frame it sends. Short
 * payloads read the key bytes straight from the header, making no view at all.
 */
export function maskBehindKey(source: Uint8Array, frame: Uint8Array, at: number, native: NativeMask | undefined): void {
  const length = source.length;
  if (native !== undefined && length >= NATIVE_COPY_THRESHOLD) {
    // The key copied into scratch space: cheaper than a view, and the call is synchronous.
    nativeKey[0] = frame[at - 4]!;
    nativeKey[1] = frame[at - 3]!;
    nativeKey[2] = frame[at - 2]!;
    nativeKey[3] = frame[at - 1]!;
    native(source, nativeKey, frame, at, length);
    return;
  }
  if (length >= WORD_THRESHOLD) {
    maskInto(source, frame.subarray(at, at + length), frame.subarray(at - 4, at), 0);
    return;
  }
  // The same unrolled loop as maskInto's, on purpose: one loop shared by both (each call site
  // then feeding it other array types) made parsing 64 B frames ~4 % slower (bench/).
  const k0 = frame[at - 4]!;
  const k1 = frame[at - 3]!;
  const k2 = frame[at - 2]!;
  const k3 = frame[at - 1]!;
  let i = 0;
  for (const unrolled = length - 3; i < unrolled; i += 4) {
    frame[at + i] = source[i]! ^ k0;
    frame[at + i + 1] = source[i + 1]! ^ k1;
    frame[at + i + 2] = source[i + 2]! ^ k2;
    frame[at + i + 3] = source[i + 3]! ^ k3;
  }
  if (i < length) frame[at + i] = source[i]! ^ k0;
  if (i + 1 < length) frame[at + i + 1] = source[i + 1]! ^ k1;
  if (i + 2 < length) frame[at + i + 2] = source[i + 2]! ^ k2;
}

/**
 * Writes `source` XOR `key` into `target` (same length; may be the same array), starting at key
 * position `keyOffset`: masking while copying, one pass over the bytes. Works a 32-bit word at a
 * time on long runs where both views are 4-byte aligned relative to each other.
 */
export function maskInto(source: Uint8Array, target: Uint8Array, key: Uint8Array, keyOffset = 0): void {
  const length = source.length;
  const k0 = key[keyOffset & 3]!;
  const k1 = key[(keyOffset + 1) & 3]!;
  const k2 = key[(keyOffset + 2) & 3]!;
  const k3 = key[(keyOffset + 3) & 3]!;
  let i = 0;
  if (length >= WORD_THRESHOLD && source !== target && ((source.byteOffset - target.byteOffset) & 3) !== 0) {
    // Misaligned relative to each other (a payload copied behind a 6 or 14-byte header): a
    // native copy, then the word loop in place beats a byte loop by far.
    target.set(source);
    maskInto(target, target, key, keyOffset);
    return;
  }
  if (length >= WORD_THRESHOLD) {
    // Bytes until the views are word-aligned (Uint32Array needs an aligned byteOffset).
    const lead = (4 - (source.byteOffset & 3)) & 3;
    for (; i < lead; i++) target[i] = source[i]! ^ key[(keyOffset + i) & 3]!;
    const words = (length - i) >>> 2;
    // The key rotated so its first byte lines up with data[i], read in memory order like the
    // data words: the XOR is endianness-agnostic.
    keyBytes[0] = key[(keyOffset + i) & 3]!;
    keyBytes[1] = key[(keyOffset + i + 1) & 3]!;
    keyBytes[2] = key[(keyOffset + i + 2) & 3]!;
    keyBytes[3] = key[(keyOffset + i + 3) & 3]!;
    const keyWord = keyWords[0]!;
    const from = new Uint32Array(source.buffer, source.byteOffset + i, words);
    const to = source === target ? from : new Uint32Array(target.buffer, target.byteOffset + i, words);
    for (let w = 0; w < words; w++) to[w] = from[w]! ^ keyWord;
    i += words << 2;
    for (; i < length; i++) target[i] = source[i]! ^ key[(keyOffset + i) & 3]!;
    return;
  }
  const unrolled = length - 3;
  for (; i < unrolled; i += 4) {
    target[i] = source[i]! ^ k0;
    target[i + 1] = source[i + 1]! ^ k1;
    target[i + 2] = source[i + 2]! ^ k2;
    target[i + 3] = source[i + 3]! ^ k3;
  }
  if (i < length) target[i] = source[i]! ^ k0;
  if (i + 1 < length) target[i + 1] = source[i + 1]! ^ k1;
  if (i + 2 < length) target[i + 2] = source[i + 2]! ^ k2;
}

/** Whether 32-bit words hold their bytes little-endian here (what a key word must match). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The words of the last buffer `unmaskBehindKey` worked in: a 32-bit view costs about as much
 * as unmasking 64 bytes by hand, so it is made once per received chunk's buffer, not per frame.
 * Module state: it pins at most one input buffer for the whole process, not one per connection.
 */
let wordsBuffer: ArrayBufferLike | undefined = undefined;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * Unmasks in place the `length` bytes at `at` in `chunk`, with the key the frame carries in
 * the 4 bytes before them (§5.2, §5.3): how a received frame that lies whole within one read
 * is unmasked, with no view of its key or payload. Works a 32-bit word at a time from 8 bytes
 * (64 B: ~30 ns against ~45 for the byte loop, measured), and hands long payloads to `native`.
 */
export function unmaskBehindKey(chunk: Uint8Array, at: number, length: number, native: NativeMask | undefined): void {
  const k0 = chunk[at - 4]!;
  const k1 = chunk[at - 3]!;
  const k2 = chunk[at - 2]!;
  const k3 = chunk[at - 1]!;
  const end = at + length;
  if (native !== undefined && length >= NATIVE_THRESHOLD) {
    nativeKey[0] = k0;
    nativeKey[1] = k1;
    nativeKey[2] = k2;
    nativeKey[3] = k3;
    const payload = chunk.subarray(at, end);
    native(payload, nativeKey, payload, 0, length);
    return;
  }
  let i = at;
  if (length >= 8) {
    const buffer = chunk.buffer;
    if (buffer !== wordsBuffer) {
      words = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
      wordsBuffer = buffer;
    }
    // Bytes up to a word boundary of the buffer, then whole words with the key rotated to match.
    const base = chunk.byteOffset;
    const lead = (4 - ((base + at) & 3)) & 3;
    if (lead > 0) chunk[i++]! ^= k0;
    if (lead > 1) chunk[i++]! ^= k1;
    if (lead > 2) chunk[i++]! ^= k2;
    const r0 = lead === 0 ? k0 : lead === 1 ? k1 : lead === 2 ? k2 : k3;
    const r1 = lead === 0 ? k1 : lead === 1 ? k2 : lead === 2 ? k3 : k0;
    const r2 = lead === 0 ? k2 : lead === 1 ? k3 : lead === 2 ? k0 : k1;
    const r3 = lead === 0 ? k3 : lead === 1 ? k0 : lead === 2 ? k1 : k2;
    const keyWord = LITTLE_ENDIAN ? r0 | (r1 << 8) | (r2 << 16) | (r3 << 24) : (r0 << 24) | (r1 << 16) | (r2 << 8) | r3;
    const firstWord = (base + i) >>> 2;
    const lastWord = (base + end) >>> 2;
    for (let w = firstWord; w < lastWord; w++) words[w]! ^= keyWord;
    i = lastWord * 4 - base;
  }
  // The tail (or a short payload): key position (i - at) & 3.
  for (; i < end; i++) {
    const k = (i - at) & 3;
    chunk[i]! ^= k === 0 ? k0 : k === 1 ? k1 : k === 2 ? k2 : k3;
  }
}

/** Where masking keys come from. Must be a strong random source (§10.3). */
export type RandomFill = (target: Uint8Array) => void;

export const cryptoRandomFill: RandomFill = (target) => {
  crypto.getRandomValues(target);
};

/**
 * Hands out fresh 4-byte masking keys (§5.3: "a new masking key for each frame") from a pool
 * filled by a strong random source, so the per-frame cost is a subarray, not a system call.
 */
export class MaskKeySource {
  /** Empty until the first key is asked for: a client that never sends holds no pool. */
  private pool = EMPTY;
  private offset = 0;
  constructor(
    private readonly fill: RandomFill = cryptoRandomFill,
    private readonly poolSize = 4096,
  ) {}

  next(): Uint8Array {
    this.refillIfSpent();
    const key = this.pool.subarray(this.offset, this.offset + 4);
    this.offset += 4;
    return key;
  }

  /** Writes the next key into `target` at `at` (a frame header), without making a view of it. */
  writeNext(target: Uint8Array, at: number): void {
    this.refillIfSpent();
    const pool = this.pool;
    const offset = this.offset;
    target[at] = pool[offset]!;
    target[at + 1] = pool[offset + 1]!;
    target[at + 2] = pool[offset + 2]!;
    target[at + 3] = pool[offset + 3]!;
    this.offset = offset + 4;
  }

  private refillIfSpent(): void {
    if (this.offset + 4 > this.pool.length) {
      // A new array each refill: keys already handed out must not change under their holders.
      this.pool = new Uint8Array(this.poolSize);
      this.fill(this.pool);
      this.offset = 0;
    }
  }
}
