/** fast-check generators shared by the properties. */
import fc from 'fast-check';
import { concat, utf8 } from './bytes.js';
import { sendAll } from './send.js';
import { OP, type RawFrame, encodeRawFrame, encodeRawFrames } from './wire.js';

/** Payload bytes: mostly short, sometimes past the 125 / 65535 length-encoding boundaries. */
export const payloadBytes = (maxLength = 300): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.uint8Array({ maxLength: Math.min(maxLength, 130) }) },
    { weight: 2, arbitrary: fc.uint8Array({ minLength: 120, maxLength: Math.max(130, maxLength) }) },
    { weight: 1, arbitrary: fc.integer({ min: 65530, max: 65540 }).map((n) => new Uint8Array(n).fill(n & 0xff)) },
  );

/** Text payloads as UTF-8 bytes, including multi-byte and 4-byte code points. */
export const textBytes = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom('', 'κόσμε', '€', '\u{10FFFF}', 'a\u{1F600}b'),
  ).map(utf8);

export const controlPayload = (): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: 125 });

/** One thing an application sends. */
export type SendOp =
  | {
      readonly kind: 'message';
      readonly binary: boolean;
      readonly data: Uint8Array;
      /** Sizes of the `fin: false` pieces the message is sent in (the last piece takes the rest). */
      readonly pieces: readonly number[];
      /** Control frames sent between the pieces: [piece index after which, op]. */
      readonly between: ReadonlyArray<readonly [number, 'ping' | 'pong', Uint8Array]>;
    }
  | { readonly kind: 'ping' | 'pong'; readonly data: Uint8Array };

export const sendOp = (): fc.Arbitrary<SendOp> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('message' as const),
        binary: fc.boolean(),
        data: fc.boolean(),
        pieces: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }),
        between: fc.array(fc.tuple(fc.nat(4), fc.constantFrom('ping' as const, 'pong' as const), controlPayload()), { maxLength: 2 }),
      }).chain((op) =>
        (op.binary ? payloadBytes() : textBytes()).map((data) => ({ ...op, data })),
      ),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('ping' as const, 'pong' as const), data: controlPayload() }) },
  );

/** How a byte stream is cut into transport reads. */
export type Chunking = { readonly kind: 'whole' } | { readonly kind: 'bytewise' } | { readonly kind: 'sizes'; readonly sizes: readonly number[] };

export const chunking = (): fc.Arbitrary<Chunking> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'whole' } as const) },
    { weight: 1, arbitrary: fc.constant({ kind: 'bytewise' } as const) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('sizes' as const), sizes: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 60 }) }),
    },
  );

/** The stream cut as `chunking` says; the last size repeats until the stream is used up. */
export function cut(stream: Uint8Array, how: Chunking): Uint8Array[] {
  if (how.kind === 'whole') return stream.length === 0 ? [] : [stream.slice()];
  if (how.kind === 'bytewise') return Array.from(stream, (b) => Uint8Array.of(b));
  const out: Uint8Array[] = [];
  let offset = 0;
  let i = 0;
  while (offset < stream.length) {
    const size = how.sizes[Math.min(i++, how.sizes.length - 1)]!;
    out.push(stream.slice(offset, offset + size));
    offset += size;
  }
  return out;
}

const maskKey = fc.uint8Array({ minLength: 4, maxLength: 4 });

/**
 * A frame as a peer might send it: mostly well-formed, sometimes breaking one rule
 * (reserved opcode, RSV bits, unfinished control frame, oversized control frame, bad close
 * payload, non-minimal length encoding, missing or unexpected mask).
 */
export const rawFrame = (masked: boolean): fc.Arbitrary<RawFrame> =>
  fc
    .record({
      opcode: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(OP.TEXT, OP.BINARY, OP.TEXT, OP.BINARY, OP.CONT, OP.PING, OP.PONG) },
        { weight: 1, arbitrary: fc.constant(OP.CLOSE) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
      ),
      fin: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      rsv: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(0x10, 0x20, 0x40, 0x70) }),
      mask: fc.oneof({ weight: 20, arbitrary: fc.constant(masked) }, { weight: 1, arbitrary: fc.constant(!masked) }),
      key: maskKey,
      lengthBits: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(16 as const, 64 as const) }),
      payloadKind: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('bytes', 'text') },
        { weight: 1, arbitrary: fc.constantFrom('close', 'big-control') },
      ),
    })
    .chain((spec) => {
      const payload =
        spec.opcode === OP.CLOSE || spec.payloadKind === 'close'
          ? closePayload()
          : spec.payloadKind === 'text'
            ? textBytes().map((t) => (t.length > 125 && spec.opcode >= 8 ? t.subarray(0, 125) : t))
            : spec.payloadKind === 'big-control'
              ? fc.uint8Array({ minLength: 120, maxLength: 140 })
              : spec.opcode >= 8
                ? controlPayload()
                : payloadBytes(200);
      return payload.map(
        (bytes): RawFrame => ({
          fin: spec.fin,
          rsv: spec.rsv,
          opcode: spec.opcode,
          payload: bytes,
          mask: spec.mask ? spec.key : undefined,
          lengthBits: spec.lengthBits,
        }),
      );
    });

/** Close payloads: valid codes and reasons, and every kind of bad one. */
export const closePayload = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.constant(new Uint8Array(0)),
    fc.uint8Array({ minLength: 1, maxLength: 1 }),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1015, 1016, 2999, 3000, 4999, 5000, 999, 0, 65535), fc.nat(65535)),
        fc.oneof(textBytes().map((t) => t.subarray(0, 123)), fc.uint8Array({ maxLength: 10 })),
      )
      .map(([code, reason]) => Uint8Array.of(code >> 8, code & 0xff, ...reason)),
  );

/** A sequence of frames from a peer, encoded. */
export const frameStream = (masked: boolean, maxFrames = 8): fc.Arbitrary<Uint8Array> =>
  fc.array(rawFrame(masked), { maxLength: maxFrames }).map(encodeRawFrames);

/** A mutation of a byte stream, as a fuzzer would make it. */
export type Mutation =
  | { readonly kind: 'flip'; readonly index: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly index: number }
  | { readonly kind: 'insert'; readonly index: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly index: number; readonly count: number }
  | { readonly kind: 'set'; readonly index: number; readonly value: number };

export const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), index: fc.nat(), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('truncate' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), index: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
    fc.record({ kind: fc.constant('delete' as const), index: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('set' as const), index: fc.nat(), value: fc.constantFrom(0x00, 0x7e, 0x7f, 0x80, 0xff, 0x88, 0x0f) }),
  );

export function mutate(stream: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = stream.slice();
  for (const m of mutations) {
    if (out.length === 0 && m.kind !== 'insert') continue;
    const at = m.index % Math.max(1, out.length + (m.kind === 'insert' ? 1 : 0));
    switch (m.kind) {
      case 'flip':
        out[at]! ^= 1 << m.bit;
        break;
      case 'set':
        out[at] = m.value;
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'insert': {
        const next = new Uint8Array(out.length + m.bytes.length);
        next.set(out.subarray(0, at), 0);
        next.set(m.bytes, at);
        next.set(out.subarray(at), at + m.bytes.length);
        out = next;
        break;
      }
      case 'delete': {
        const tail = out.subarray(Math.min(out.length, at + m.count));
        const next = new Uint8Array(at + tail.length);
        next.set(out.subarray(0, at), 0);
        next.set(tail, at);
        out = next;
        break;
      }
    }
  }
  return out;
}

/** A valid stream as a real peer writes it (client frames masked), maybe ending with a close frame. */
export const validStream = (masked: boolean): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      fc.array(sendOp(), { maxLength: 6 }),
      fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
      fc.option(closePayload(), { freq: 3, nil: undefined }),
      maskKey,
    )
    .map(([ops, fragmentSize, close, key]) => {
      const { stream } = sendAll(masked ? 'client' : 'server', fragmentSize, ops);
      if (close === undefined) return stream;
      return concat([stream, encodeRawFrame({ fin: true, rsv: 0, opcode: OP.CLOSE, payload: close, mask: masked ? key : undefined })]);
    });

/** A valid or invalid peer stream: real streams (mutated or not), frame soups, or plain random bytes. */
export const peerStream = (masked: boolean): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 2, arbitrary: validStream(masked) },
    { weight: 3, arbitrary: fc.tuple(validStream(masked), fc.array(mutation(), { minLength: 1, maxLength: 3 })).map(([s, m]) => mutate(s, m)) },
    { weight: 2, arbitrary: frameStream(masked) },
    { weight: 2, arbitrary: fc.tuple(frameStream(masked), fc.array(mutation(), { minLength: 1, maxLength: 3 })).map(([s, m]) => mutate(s, m)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  );
