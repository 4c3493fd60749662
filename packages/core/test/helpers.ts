import { Connection, type ConnectionEvent, type ConnectionOptions, NEED_DATA, PENDING, DONE } from '../src/index.js';

/** Hex string → bytes ("81 05 48" or "810548"). */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const decode = (value: Uint8Array): string => new TextDecoder().decode(value);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Builds a frame by hand (tests do not trust the serializer under test). `mask` masks with
 * the given key; lengths use the minimal encoding unless `lengthBytes` forces one.
 */
export function frame(
  opcode: number,
  payload: Uint8Array | string,
  options: { fin?: boolean; rsv?: number; mask?: Uint8Array; length?: number } = {},
): Uint8Array {
  const data = typeof payload === 'string' ? text(payload) : payload;
  const length = options.length ?? data.length;
  const head: number[] = [((options.fin ?? true) ? 0x80 : 0) | (options.rsv ?? 0) | opcode];
  const maskBit = options.mask ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 255);
  else {
    head.push(maskBit | 127);
    const big = BigInt(length);
    for (let i = 7; i >= 0; i--) head.push(Number((big >> BigInt(i * 8)) & 255n));
  }
  const body = Uint8Array.from(data);
  if (options.mask) {
    head.push(...options.mask);
    for (let i = 0; i < body.length; i++) body[i]! ^= options.mask[i % 4]!;
  }
  return concat(Uint8Array.from(head), body);
}

export const KEY = bytes(0x37, 0xfa, 0x21, 0x3d);

/** A frame as a client would send it to a server (masked). */
export const clientFrame = (opcode: number, payload: Uint8Array | string, options: { fin?: boolean; rsv?: number } = {}) =>
  frame(opcode, payload, { ...options, mask: KEY });

/** Feeds `data` (copied, since the parser unmasks in place) in the given pieces and collects every event. */
export function feed(conn: Connection, data: Uint8Array, pieces: number[] = [data.length]): ConnectionEvent[] {
  const events: ConnectionEvent[] = [];
  let offset = 0;
  for (const size of [...pieces, data.length]) {
    const end = Math.min(data.length, offset + size);
    if (end > offset) conn.receiveData(data.slice(offset, end));
    offset = end;
    events.push(...drain(conn));
    if (offset >= data.length) break;
  }
  return events;
}

/** Collects events until the connection has nothing more to say. */
export function drain(conn: Connection): ConnectionEvent[] {
  const events: ConnectionEvent[] = [];
  for (;;) {
    const event = conn.nextEvent();
    if (event === NEED_DATA || event === PENDING || event === DONE) return events;
    events.push(event);
  }
}

/** Feeds one byte at a time. */
export const feedBytewise = (conn: Connection, data: Uint8Array) => feed(conn, data, Array(data.length).fill(1));

export const server = (options: Partial<ConnectionOptions> = {}) => new Connection({ role: 'server', ...options });
export const client = (options: Partial<ConnectionOptions> = {}) => new Connection({ role: 'client', ...options });

/** One frame as written on the wire, its payload unmasked (tests read frames by hand, not with the parser under test). */
export interface WireFrame {
  readonly opcode: number;
  readonly fin: boolean;
  readonly rsv: number;
  /** The masking key, for a masked (client) frame. */
  readonly key: Uint8Array | undefined;
  readonly payload: Uint8Array;
}

/** Splits bytes a connection wrote into frames (§5.2), unmasking client payloads. */
export function wireFrames(wire: Uint8Array): WireFrame[] {
  const frames: WireFrame[] = [];
  for (let i = 0; i < wire.length; ) {
    const b0 = wire[i]!;
    const masked = (wire[i + 1]! & 0x80) !== 0;
    let length = wire[i + 1]! & 0x7f;
    i += 2;
    if (length === 126) {
      length = (wire[i]! << 8) | wire[i + 1]!;
      i += 2;
    } else if (length === 127) {
      length = Number(new DataView(wire.buffer, wire.byteOffset + i, 8).getBigUint64(0));
      i += 8;
    }
    const key = masked ? wire.slice(i, i + 4) : undefined;
    if (masked) i += 4;
    const payload = wire.slice(i, i + length);
    if (key) for (let j = 0; j < payload.length; j++) payload[j]! ^= key[j & 3]!;
    frames.push({ opcode: b0 & 0x0f, fin: (b0 & 0x80) !== 0, rsv: b0 & 0x70, key, payload });
    i += length;
  }
  return frames;
}

/**
 * What a connection wrote, one frame per array (its bytes as on the wire): `takeOutput()` may
 * hand several small frames over as one chunk, so tests that look at frames split them here.
 */
export function takeFrames(conn: Connection): Uint8Array[] {
  const wire = concat(...conn.takeOutput());
  const frames: Uint8Array[] = [];
  for (let i = 0; i < wire.length; ) {
    const masked = (wire[i + 1]! & 0x80) !== 0;
    const len7 = wire[i + 1]! & 0x7f;
    let length = len7;
    let header = 2;
    if (len7 === 126) {
      length = (wire[i + 2]! << 8) | wire[i + 3]!;
      header = 4;
    } else if (len7 === 127) {
      length = Number(new DataView(wire.buffer, wire.byteOffset + i + 2, 8).getBigUint64(0));
      header = 10;
    }
    const end = i + header + (masked ? 4 : 0) + length;
    frames.push(wire.slice(i, end));
    i = end;
  }
  return frames;
}

/** The close code in the close frame the connection wrote, or undefined if it wrote none. */
export function sentCloseCode(conn: Connection): number | undefined {
  const close = wireFrames(concat(...conn.takeOutput())).find((frame) => frame.opcode === 0x8);
  if (close === undefined) return undefined;
  return close.payload.length >= 2 ? (close.payload[0]! << 8) | close.payload[1]! : 1005;
}

/** Every split of `length` bytes into two pieces. */
export const twoWaySplits = (length: number): number[][] => Array.from({ length: length + 1 }, (_, i) => [i]);
