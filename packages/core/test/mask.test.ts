import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaskKeySource, applyMask, maskInto } from '../src/frames.js';

function naiveMask(data: Uint8Array, key: Uint8Array, offset = 0): Uint8Array {
  return data.map((b, i) => b ^ key[(offset + i) % 4]!);
}

describe('masking (RFC 6455 §5.3)', () => {
  it('is an involution: masking twice with the same key restores the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), (data, key) => {
        const copy = Uint8Array.from(data);
        applyMask(copy, key);
        applyMask(copy, key);
        expect(copy).toEqual(data);
      }),
    );
  });

  it('agrees with the byte-by-byte definition for any alignment, length and key offset', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1200 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 3 }),
        (data, key, shift, offset) => {
          // Place the data at an odd offset inside a larger buffer to exercise unaligned views.
          const backing = new Uint8Array(data.length + shift);
          backing.set(data, shift);
          const view = backing.subarray(shift);
          applyMask(view, key, offset);
          expect(view).toEqual(naiveMask(data, key, offset));
        },
      ),
    );
  });

  it('unmasking in pieces with running offsets equals unmasking the whole', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(), (data, key, cutSeed) => {
        const cut = cutSeed % (data.length + 1);
        const whole = Uint8Array.from(data);
        applyMask(whole, key);
        const pieces = Uint8Array.from(data);
        applyMask(pieces.subarray(0, cut), key, 0);
        applyMask(pieces.subarray(cut), key, cut);
        expect(pieces).toEqual(whole);
      }),
    );
  });

  it('hands out a fresh key per frame from the random source, never reusing pool bytes', () => {
    let calls = 0;
    const source = new MaskKeySource((target) => {
      calls++;
      for (let i = 0; i < target.length; i++) target[i] = (i + calls * 7) & 0xff;
    }, 8);
    const a = source.next();
    const b = source.next();
    const c = source.next(); // refill
    expect(Array.from(a)).toEqual([7, 8, 9, 10]);
    expect(Array.from(b)).toEqual([11, 12, 13, 14]);
    expect(Array.from(c)).toEqual([14, 15, 16, 17]);
    expect(Array.from(a)).toEqual([7, 8, 9, 10]); // earlier keys are untouched by the refill
    expect(calls).toBe(2);
  });

  it('draws keys from crypto.getRandomValues by default (distinct keys)', () => {
    const source = new MaskKeySource();
    const keys = new Set(Array.from({ length: 200 }, () => Array.from(source.next()).join(',')));
    expect(keys.size).toBeGreaterThan(190);
  });

  it('masks while copying (maskInto) for any relative alignment of source and target', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1500 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 3 }),
        (data, key, sourceShift, targetShift, offset) => {
          const source = new Uint8Array(data.length + sourceShift).subarray(sourceShift);
          source.set(data);
          const target = new Uint8Array(data.length + targetShift).subarray(targetShift);
          maskInto(source, target, key, offset);
          expect(target).toEqual(naiveMask(data, key, offset));
          expect(source).toEqual(data); // the source is left alone
        },
      ),
    );
  });
});
