/**
 * An independent, deliberately simple RFC 6455 §5.2 frame encoder and walker. The suite builds
 * its inputs with these, not with the core's serializer, so a bug there cannot hide itself.
 */
import { concat } from './bytes.js';

export const OP = { CONT: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

export interface RawFrame {
  readonly fin: boolean;
  /** RSV bits as they sit in byte 0 (0x40, 0x20, 0x10). */
  readonly rsv: number;
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** Present: the frame is masked with this key (a client's frame). */
  readonly mask?: Uint8Array | undefined;
  /** Force a length encoding: 7, 16 or 64 bits (non-minimal encodings are legal on receive). */
  readonly lengthBits?: 7 | 16 | 64 | undefined;
}

export function encodeRawFrame(frame: RawFrame): Uint8Array {
  const { payload, mask } = frame;
  const length = payload.length;
  const bits = frame.lengthBits ?? (length < 126 ? 7 : length < 65536 ? 16 : 64);
  const head: number[] = [(frame.fin ? 0x80 : 0) | frame.rsv | frame.opcode];
  const maskBit = mask ? 0x80 : 0;
  if (bits === 7) head.push(maskBit | length);
  else if (bits === 16) head.push(maskBit | 126, length >> 8, length & 255);
  else {
    head.push(maskBit | 127, 0, 0);
    const high = Math.floor(length / 2 ** 32);
    head.push((high >>> 8) & 255, high & 255);
    head.push((length >>> 24) & 255, (length >>> 16) & 255, (length >>> 8) & 255, length & 255);
  }
  const body = Uint8Array.from(payload);
  if (mask) {
    head.push(...mask);
    for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  }
  return concat([Uint8Array.from(head), body]);
}

export const encodeRawFrames = (frames: readonly RawFrame[]): Uint8Array => concat(frames.map(encodeRawFrame));

export interface WalkedFrame {
  readonly start: number;
  readonly opcode: number;
  readonly fin: boolean;
  readonly rsv: number;
  readonly masked: boolean;
  readonly headerSize: number;
  /** Declared payload length (may exceed what the stream holds). */
  readonly length: number;
  /** The unmasked payload, when the stream holds all of it. */
  readonly payload: Uint8Array | undefined;
}

/**
 * Walks a byte stream frame by frame without judging it. The last entry may be incomplete
 * (`payload` undefined); `tailNeeded` says how many more bytes would complete the last
 * header (0 when the header is whole).
 */
export function walkFrames(stream: Uint8Array): { frames: WalkedFrame[]; headerBytesMissing: number } {
  const frames: WalkedFrame[] = [];
  let i = 0;
  while (i < stream.length) {
    if (stream.length - i < 2) return { frames, headerBytesMissing: 2 - (stream.length - i) };
    const b0 = stream[i]!;
    const b1 = stream[i + 1]!;
    const masked = (b1 & 0x80) !== 0;
    const len7 = b1 & 0x7f;
    const headerSize = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
    if (stream.length - i < headerSize) return { frames, headerBytesMissing: headerSize - (stream.length - i) };
    let length = len7;
    if (len7 === 126) length = (stream[i + 2]! << 8) | stream[i + 3]!;
    if (len7 === 127) {
      let big = 0n;
      for (let k = 0; k < 8; k++) big = (big << 8n) | BigInt(stream[i + 2 + k]!);
      length = Number(big);
    }
    const payloadStart = i + headerSize;
    let payload: Uint8Array | undefined;
    if (stream.length - payloadStart >= length) {
      payload = stream.slice(payloadStart, payloadStart + length);
      if (masked) {
        const key = stream.subarray(payloadStart - 4, payloadStart);
        for (let k = 0; k < payload.length; k++) payload[k]! ^= key[k % 4]!;
      }
    }
    frames.push({ start: i, opcode: b0 & 0x0f, fin: (b0 & 0x80) !== 0, rsv: b0 & 0x70, masked, headerSize, length, payload });
    if (payload === undefined) break;
    i = payloadStart + length;
  }
  return { frames, headerBytesMissing: 0 };
}

/** The close code of the first close frame in `stream` (1005 for an empty one), or undefined if none. */
export function firstCloseCode(stream: Uint8Array): number | undefined {
  for (const frame of walkFrames(stream).frames) {
    if (frame.opcode === OP.CLOSE && frame.payload !== undefined) {
      return frame.payload.length >= 2 ? (frame.payload[0]! << 8) | frame.payload[1]! : 1005;
    }
  }
  return undefined;
}
