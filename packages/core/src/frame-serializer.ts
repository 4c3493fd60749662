import { type Allocate, allocateBytes } from './bytes.js';
import { type MaskKeySource, type NativeMask, maskBehindKey } from './mask.js';

/** Below this, an unmasked payload is copied next to its header: one write beats two. */
const MERGE_LIMIT = 1024;

/** Unmasked frames up to this payload may be written back to back into one array (`writeSmallFrame`). */
export const RUN_FRAME_LIMIT = MERGE_LIMIT;

export interface FrameOptions {
  readonly fin: boolean;
  /** RSV bits as in the first byte (RSV1 = 0x40). */
  readonly rsv: number;
  /** A 4-byte key masks the payload (clients, §5.3); undefined sends it unmasked (servers). */
  readonly maskKey: Uint8Array | undefined;
  /** A faster XOR for long payloads (see `NativeMask`). */
  readonly nativeMask?: NativeMask | undefined;
  /** Makes large frames and the slabs small ones are cut from (see `Allocate`); default `new Uint8Array`. */
  readonly allocate?: Allocate | undefined;
}

/** Header size for a payload length: 2 bytes, +2 or +8 for the extended length (§5.2), +4 for the key. */
export function headerSize(length: number, masked: boolean): number {
  return 2 + (length > 0xffff ? 8 : length > 125 ? 2 : 0) + (masked ? 4 : 0);
}

function writeHeader(target: Uint8Array, firstByte: number, length: number, maskKey: Uint8Array | undefined): number {
  const offset = writeLength(target, 0, firstByte, length, maskKey !== undefined ? 0x80 : 0);
  if (maskKey === undefined) return offset;
  target.set(maskKey, offset);
  return offset + 4;
}

/**
 * The header up to the masking key, at `at` in `target`: first byte, MASK bit and payload
 * length (§5.2). Returns where the key (or, unmasked, the payload) goes.
 */
function writeLength(target: Uint8Array, at: number, firstByte: number, length: number, maskBit: number): number {
  target[at] = firstByte;
  if (length <= 125) {
    target[at + 1] = maskBit | length;
    return at + 2;
  }
  if (length <= 0xffff) {
    target[at + 1] = maskBit | 126;
    target[at + 2] = length >>> 8;
    target[at + 3] = length & 0xff;
    return at + 4;
  }
  target[at + 1] = maskBit | 127;
  const high = Math.floor(length / 0x100000000);
  const low = length >>> 0;
  target[at + 2] = high >>> 24;
  target[at + 3] = (high >>> 16) & 0xff;
  target[at + 4] = (high >>> 8) & 0xff;
  target[at + 5] = high & 0xff;
  target[at + 6] = low >>> 24;
  target[at + 7] = (low >>> 16) & 0xff;
  target[at + 8] = (low >>> 8) & 0xff;
  target[at + 9] = low & 0xff;
  return at + 10;
}

/**
 * Encodes one frame (§5.2) as the chunks to write, in order. A masked payload is copied (the
 * caller's bytes are never modified); a large unmasked payload is passed through untouched as
 * its own chunk, never concatenated.
 */
export function encodeFrame(opcode: number, payload: Uint8Array, options: FrameOptions): Uint8Array[] {
  return encodeFrameParts((options.fin ? 0x80 : 0) | options.rsv | opcode, payload, options.maskKey, options.nativeMask, options.allocate);
}

/**
 * `encodeFrame` with the first byte (FIN, RSV, opcode) already combined and no options object:
 * what the message writer calls once per frame.
 */
export function encodeFrameParts(
  firstByte: number,
  payload: Uint8Array,
  maskKey: Uint8Array | undefined,
  nativeMask: NativeMask | undefined,
  allocate?: Allocate,
): Uint8Array[] {
  const length = payload.length;
  const masked = maskKey !== undefined;
  const size = headerSize(length, masked);
  if (masked || length <= MERGE_LIMIT) {
    // Every byte is written below, so the array may come uninitialised from `allocate`.
    const frame = allocateBytes(size + length, allocate);
    const offset = writeHeader(frame, firstByte, length, maskKey);
    if (masked) maskBehindKey(payload, frame, offset, nativeMask);
    else frame.set(payload, offset);
    return [frame];
  }
  const header = allocateBytes(size, allocate);
  writeHeader(header, firstByte, length, maskKey);
  return [header, payload];
}

/**
 * A client's frame (§5.3): a fresh key from `keys` written straight into the header and the
 * payload masked while copied behind it, one array. What the message writer calls per frame;
 * `encodeFrame` with a key of the caller's is the same bytes.
 */
export function encodeMaskedFrame(
  firstByte: number,
  payload: Uint8Array,
  keys: MaskKeySource,
  nativeMask: NativeMask | undefined,
  allocate: Allocate | undefined,
): Uint8Array[] {
  const length = payload.length;
  // Every byte is written below, so the array may come uninitialised from `allocate`.
  const frame = allocateBytes(headerSize(length, true) + length, allocate);
  const keyAt = writeLength(frame, 0, firstByte, length, 0x80);
  keys.writeNext(frame, keyAt);
  maskBehindKey(payload, frame, keyAt + 4, nativeMask);
  return [frame];
}

/**
 * Writes an unmasked frame into `target` at `at`, header then payload, and returns where it
 * ends. The caller checked there is room: this is how a server's small frames are laid out
 * back to back.
 */
export function writeSmallFrame(target: Uint8Array, at: number, firstByte: number, payload: Uint8Array): number {
  const offset = writeLength(target, at, firstByte, payload.length, 0);
  target.set(payload, offset);
  return offset + payload.length;
}
