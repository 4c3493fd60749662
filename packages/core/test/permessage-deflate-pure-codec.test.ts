/**
 * The pure-TypeScript DEFLATE codec against zlib (the reference implementation): our output
 * inflates with zlib at every window size, zlib's output inflates with ours, streams continue
 * across calls (context takeover), input may be split anywhere, output is bounded, and invalid
 * data is an InflateError.
 */
import { constants, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deflater, InflateError, Inflater } from '../src/deflate.js';

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };
const WINDOWS = [8, 9, 10, 11, 12, 13, 14, 15] as const;

/** Text-like data with repeats near and far, so matches at many distances occur. */
const repetitive = fc
  .array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('hello ', 'world ', 'the quick brown fox '), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'))), {
    maxLength: 60,
  })
  .map((parts) => new TextEncoder().encode(parts.join('')));
const payload = fc.oneof(repetitive, fc.uint8Array({ maxLength: 5000 }));

/** zlib output for messages on one stream (sync flush after each), like a zlib-based peer. */
async function zlibStream(messages: Uint8Array[], windowBits: number): Promise<Uint8Array[]> {
  const stream = createDeflateRaw({ windowBits: Math.max(windowBits, 9) });
  const out: Uint8Array[] = [];
  for (const message of messages) {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    stream.on('data', onData);
    stream.write(message);
    await new Promise<void>((resolve) => stream.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    stream.off('data', onData);
    out.push(Buffer.concat(chunks));
  }
  stream.close();
  return out;
}

describe('pure Deflater', () => {
  it('"Hello" gives the RFC 7692 §7.2.3.1 bytes, and a second "Hello" refers back (§7.2.3.2)', () => {
    const deflater = new Deflater(15);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(hex(deflater.compress(new TextEncoder().encode('Hello')))).toBe('f248cdc9c90700' + '0000ffff');
    // Context takeover: the second message is a back-reference (shorter than the first).
    const second = deflater.compress(new TextEncoder().encode('Hello'));
    expect(second.length).toBeLessThan(11);
    expect(hex(second).endsWith('0000ffff')).toBe(true);
  });

  it('an empty input is just the sync flush (an empty stored block)', () => {
    expect(Buffer.from(new Deflater(15).compress(new Uint8Array(0))).toString('hex')).toBe('000000ffff');
  });

  it('compresses repetitive data well and never expands incompressible data by more than 5 bytes per 64 KiB + 5', () => {
    const text = new TextEncoder().encode('abcdefghij'.repeat(10_000));
    expect(new Deflater(15).compress(text).length).toBeLessThan(text.length / 20);
    const random = crypto.getRandomValues(new Uint8Array(60_000));
    expect(new Deflater(15).compress(random).length).toBeLessThanOrEqual(random.length + 5 + 5);
  });

  for (const bits of WINDOWS) {
    it(`output inflates with zlib at windowBits ${bits}, message after message (context takeover)`, () => {
      fc.assert(
        fc.property(fc.array(payload, { minLength: 1, maxLength: 6 }), (messages) => {
          const deflater = new Deflater(bits);
          const stream = Buffer.concat(messages.map((m) => deflater.compress(m)));
          // zlib inflates raw streams with an 8-bit window as asked: it enforces the distance limit.
          const inflated = inflateRawSync(stream, { windowBits: bits, ...SYNC });
          expect(Buffer.compare(inflated, Buffer.concat(messages))).toBe(0);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('never emits a distance beyond the window: a repeat just past 2^bits is not referenced', () => {
    for (const bits of WINDOWS) {
      const size = 1 << bits;
      const block = crypto.getRandomValues(new Uint8Array(size + 1));
      const data = Buffer.concat([block, block]);
      const out = new Deflater(bits).compress(data);
      expect(() => inflateRawSync(out, { windowBits: bits, ...SYNC })).not.toThrow();
      // And a repeat inside the window is found.
      const near = crypto.getRandomValues(new Uint8Array(size - 10));
      expect(new Deflater(bits).compress(Buffer.concat([near, near])).length).toBeLessThan(near.length * 1.3 + 20);
    }
  });

  it('reset() starts a new stream: the output inflates on a fresh inflater', () => {
    const deflater = new Deflater(15);
    deflater.compress(new TextEncoder().encode('Hello Hello Hello'));
    deflater.reset();
    const out = deflater.compress(new TextEncoder().encode('Hello Hello Hello'));
    expect(new TextDecoder().decode(inflateRawSync(out, SYNC))).toBe('Hello Hello Hello');
  });

  it('keeps working across many calls larger than its buffer (sliding the window)', () => {
    const deflater = new Deflater(9);
    const messages = Array.from({ length: 200 }, (_, i) => new TextEncoder().encode(`message ${i} `.repeat(50 + (i % 7) * 30)));
    const stream = Buffer.concat(messages.map((m) => deflater.compress(m)));
    expect(Buffer.compare(inflateRawSync(stream, { windowBits: 9, ...SYNC }), Buffer.concat(messages))).toBe(0);
  });
});

describe('pure Inflater', () => {
  for (const bits of WINDOWS) {
    it(`inflates zlib's output at windowBits ${bits}, across messages, from any split`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 64 }), async (messages, cut) => {
          const compressed = await zlibStream(messages, bits);
          const inflater = new Inflater(1 << bits);
          for (let m = 0; m < messages.length; m++) {
            const bytes = compressed[m]!;
            // Split the message's bytes into pieces of `cut` bytes.
            const pieces: Uint8Array[] = [];
            for (let o = 0; o < bytes.length; o += cut) pieces.push(bytes.slice(o, o + cut));
            const out = inflater.push(pieces, Number.MAX_SAFE_INTEGER);
            expect(out && Buffer.compare(out, messages[m]!)).toBe(0);
          }
        }),
        { numRuns: 25 },
      );
    });
  }

  it('a piece boundary inside a symbol or a dynamic block header is resumed on the next call', () => {
    const text = new TextEncoder().encode('dynamic huffman tables please '.repeat(40) + 'xyz'.repeat(100));
    const compressed = deflateRawSync(text, SYNC);
    for (let cut = 1; cut < compressed.length; cut += 7) {
      const inflater = new Inflater(1 << 15);
      const a = inflater.push([compressed.slice(0, cut)], Infinity)!;
      const b = inflater.push([compressed.slice(cut)], Infinity)!;
      expect(Buffer.compare(Buffer.concat([a, b]), text)).toBe(0);
    }
  });

  it('stops at maxBytes: returns undefined once the output passes it, having produced little more', () => {
    const compressed = deflateRawSync(Buffer.alloc(50 * 1024 * 1024), SYNC);
    // Handed 1 KiB pieces (each inflates to ~1 MiB of zeros), it stops inside the first one:
    // the pieces it takes are counted, so "stopped early" needs no clock.
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < compressed.length; i += 1024) pieces.push(compressed.subarray(i, i + 1024));
    let taken = 0;
    const counted = Object.assign([...pieces], {
      *[Symbol.iterator]() {
        for (const piece of pieces) {
          taken++;
          yield piece;
        }
      },
    });
    expect(pieces.length).toBeGreaterThan(40);
    expect(new Inflater(1 << 15).push(counted, 100_000)).toBeUndefined();
    expect(taken).toBe(1);
    // Exactly at the limit is fine.
    const small = deflateRawSync(Buffer.alloc(1000, 1), SYNC);
    expect(new Inflater(1 << 15).push([small], 1000)?.length).toBe(1000);
    expect(new Inflater(1 << 15).push([small], 999)).toBeUndefined();
  });

  it('rejects invalid data with an InflateError', () => {
    const cases: Array<[string, number[]]> = [
      ['reserved block type 11', [0x07]],
      ['stored block with a bad NLEN', [0x00, 0x05, 0x00, 0x00, 0x00]],
      ['a distance before the start of the stream', [0x03, 0x02, 0x00]],
    ];
    for (const [what, bytes] of cases) {
      expect(() => new Inflater(1 << 15).push([Uint8Array.from(bytes)], Infinity), what).toThrow(InflateError);
    }
  });

  it('rejects a distance beyond its negotiated window even if the data is in its history', () => {
    const data = Buffer.concat([crypto.getRandomValues(new Uint8Array(300)), Buffer.alloc(0)]);
    const twice = Buffer.concat([data, data]); // distance 300 > 256
    const compressed = deflateRawSync(twice, { windowBits: 15, ...SYNC });
    expect(() => new Inflater(1 << 8).push([compressed], Infinity)).toThrow(InflateError);
    expect(Buffer.compare(new Inflater(1 << 9).push([compressed], Infinity)!, twice)).toBe(0);
  });

  it('ignores bytes after a final block (BFINAL), and reports the stream ended', () => {
    const inflater = new Inflater(1 << 15);
    const out = inflater.push([Uint8Array.of(0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00), Uint8Array.of(0, 0, 0xff, 0xff)], Infinity);
    expect(new TextDecoder().decode(out)).toBe('Hello');
    expect(inflater.ended).toBe(true);
  });
});
