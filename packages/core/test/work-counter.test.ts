import { describe, expect, it } from 'vitest';
import { countWork, expectLinearWork } from './work-counter.js';

/** The counter the linear-work tests rely on must see a quadratic scanner for what it is. */
describe('work counter', () => {
  // Looks for ";" from the start again after every 16 characters, as a naive incremental parser would.
  const rescanning = (text: string): void => {
    for (let end = 16; end <= text.length; end += 16) for (let i = 0; i < end && text.charCodeAt(i) !== 0x3b; i++);
  };
  const scanning = (text: string): void => {
    for (let i = 0; i < text.length && text.charCodeAt(i) !== 0x3b; i++);
  };
  it('counts charCodeAt calls, sliced characters, and bytes searched and copied', () => {
    expect(countWork(() => 'abcd'.charCodeAt(0) + 'abcd'.slice(1).length)).toBe(4);
    expect(countWork(() => Uint8Array.of(1, 2, 3, 4).indexOf(3, 1))).toBe(2);
    expect(countWork(() => new Uint8Array(8).set([1, 2, 3]))).toBe(3);
    expect(''.charCodeAt).toBe(String.prototype.charCodeAt); // restored
    expect(Object.prototype.hasOwnProperty.call(Uint8Array.prototype, 'indexOf')).toBe(false);
  });
  it('fails a quadratic scanner and passes a linear one', () => {
    expect(() => expectLinearWork((n) => 'a'.repeat(n), rescanning, 8)).toThrow();
    expect(() => expectLinearWork((n) => 'a'.repeat(n), (text) => text.indexOf(';'), 8)).toThrow(/work per input unit/); // not counted: below the floor
    expectLinearWork((n) => 'a'.repeat(n), scanning, 8);
  });
});
