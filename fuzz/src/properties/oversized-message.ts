/**
 * Memory: with a small maxPayload, a frame header announcing more than the message may hold
 * is refused with 1009 the moment the header is complete, before a single payload byte is
 * buffered, however much payload then floods in (ws `haveLength`, DESIGN "Layers").
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concat } from '../bytes.js';
import { bytewise, readStream } from '../drive.js';
import { OP, encodeRawFrame } from '../wire.js';
import { MAX_UNPARSED, unparsedBytes } from './parser-robustness.js';
import { defineProperty } from './property.js';

const MAX_PAYLOAD = 1024;

export interface OversizedInput {
  readonly binary: boolean;
  /** Sizes of the fragments sent before the oversized one (each within the limit). */
  readonly before: readonly number[];
  /** The length the offending header announces. */
  readonly announced: number;
  readonly lengthBits: 16 | 64;
  readonly flood: number;
  readonly floodChunk: number;
  readonly key: Uint8Array;
}

/** The offending frame's header alone (2 + 2|8 + 4 bytes): its payload never needs to exist. */
function header(opcode: number, length: number, bits: 16 | 64, key: Uint8Array): Uint8Array {
  const out = [0x80 | opcode, 0x80 | (bits === 16 ? 126 : 127)];
  if (bits === 16) out.push(length >> 8, length & 255);
  else {
    const high = Math.floor(length / 2 ** 32);
    out.push(high >>> 24, (high >>> 16) & 255, (high >>> 8) & 255, high & 255, length >>> 24, (length >>> 16) & 255, (length >>> 8) & 255, length & 255);
  }
  return Uint8Array.from([...out, ...key]);
}

export const oversizedMessage = defineProperty<OversizedInput>({
  name: 'oversized-message',
  ciRuns: 120,
  arbitrary: fc
    .record({
      binary: fc.boolean(),
      before: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 3 }),
      lengthBits: fc.constantFrom(16 as const, 64 as const),
      flood: fc.integer({ min: 0, max: 256 * 1024 }),
      floodChunk: fc.integer({ min: 1, max: 65536 }),
      key: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      slack: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(2 ** 53 - 1)),
    })
    .map(({ slack, ...rest }) => {
      const already = rest.before.reduce((a, b) => a + b, 0);
      // Over the limit by at least one byte, counting what the earlier fragments used.
      let announced = Math.max(0, MAX_PAYLOAD - already) + slack;
      if (rest.lengthBits === 16) announced = Math.min(announced, 65535);
      announced = Math.min(announced, 2 ** 53 - 1);
      if (already + announced <= MAX_PAYLOAD) announced = MAX_PAYLOAD - already + 1;
      return { ...rest, announced };
    })
    .filter((i) => i.lengthBits === 64 || i.announced <= 65535),
  check(input) {
    const { binary, before, key } = input;
    const opcode = binary ? OP.BINARY : OP.TEXT;
    const prefix = concat(
      before.map((size, i) =>
        encodeRawFrame({ fin: false, rsv: 0, opcode: i === 0 ? opcode : OP.CONT, payload: new Uint8Array(size).fill(0x61), mask: key }),
      ),
    );
    const offending = header(before.length === 0 ? opcode : OP.CONT, input.announced, input.lengthBits, key);
    const head = concat([prefix, offending]);
    const floodPieces: Uint8Array[] = [];
    for (let left = input.flood; left > 0; left -= input.floodChunk) floodPieces.push(new Uint8Array(Math.min(left, input.floodChunk)).fill(0x61));

    let maxHeld = 0;
    const result = readStream({ role: 'server', maxPayload: MAX_PAYLOAD }, [...bytewise(head), ...floodPieces], (conn) => {
      maxHeld = Math.max(maxHeld, unparsedBytes(conn));
    });
    assert.equal(result.ending.kind, 'error');
    if (result.ending.kind !== 'error') return;
    assert.equal(result.ending.closeCode, 1009);
    assert.equal(result.ending.at, head.length, 'refused exactly when the header was complete, before any payload');
    assert.deepEqual(result.observations, [], 'nothing delivered');
    assert.ok(maxHeld <= MAX_UNPARSED, `held ${maxHeld} bytes while ${input.flood} flooded in`);
  },
});
