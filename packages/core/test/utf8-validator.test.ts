import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Validator, isValidUtf8 } from '../src/frames.js';
import { hex } from './helpers.js';

function referenceValid(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Bytes biased towards the interesting lead and continuation ranges. */
const utf8ishBytes = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0xbf }),
    fc.constantFrom(0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff),
    fc.integer({ min: 0, max: 255 }),
  ),
  { maxLength: 40 },
).map((a) => Uint8Array.from(a));

describe('UTF-8 validation (RFC 3629, RFC 6455 §8.1)', () => {
  it('agrees with TextDecoder({ fatal: true }) on arbitrary bytes, at every split point', () => {
    fc.assert(
      fc.property(fc.oneof(utf8ishBytes, fc.uint8Array({ maxLength: 40 }), fc.string({ unit: 'grapheme' }).map((s) => new TextEncoder().encode(s))), (data) => {
        const expected = referenceValid(data);
        expect(isValidUtf8(data)).toBe(expected);
        for (let cut = 0; cut <= data.length; cut++) {
          const v = new Utf8Validator();
          const ok = v.push(data.subarray(0, cut)) && v.push(data.subarray(cut)) && v.end();
          expect(ok).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('fails fast: an invalid prefix is reported by push, before the end', () => {
    const v = new Utf8Validator();
    expect(v.push(hex('48 65'))).toBe(true);
    expect(v.push(hex('ed a0'))).toBe(false); // a surrogate can never become valid
    expect(v.push(hex('41'))).toBe(false); // and the failure latches
  });

  it('accepts a code point split over pushes and rejects a truncated one at the end', () => {
    const v = new Utf8Validator();
    expect(v.push(hex('f0 9f'))).toBe(true);
    expect(v.push(hex('98'))).toBe(true);
    expect(v.push(hex('80'))).toBe(true);
    expect(v.end()).toBe(true);
    expect(v.push(hex('e2 82'))).toBe(true);
    expect(v.end()).toBe(false);
  });

  it.each([
    ['surrogate ED A0 80', 'ed a0 80'],
    ['overlong C0 80', 'c0 80'],
    ['overlong C1 BF', 'c1 bf'],
    ['overlong E0 80 80', 'e0 80 80'],
    ['overlong F0 80 80 80', 'f0 80 80 80'],
    ['above U+10FFFF F4 90 80 80', 'f4 90 80 80'],
    ['F5 lead', 'f5 80 80 80'],
    ['stray continuation', '80'],
    ['FF', 'ff'],
  ])('rejects %s', (_name, bytes) => {
    expect(isValidUtf8(hex(bytes))).toBe(false);
  });

  it('accepts the boundaries of each range', () => {
    for (const s of ['\u0000', '\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{10ffff}']) {
      expect(isValidUtf8(new TextEncoder().encode(s))).toBe(true);
    }
  });
});
