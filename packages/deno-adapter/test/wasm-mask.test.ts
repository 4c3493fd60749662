/** The WebAssembly SIMD mask gives exactly the core loop's bytes: any length, target offset, key, in place or copying. */
import { assert } from './assert.ts';
import { maskInto } from '@sansock/core/frames';
import { createWasmMask } from '../src/wasm-mask.ts';
import { patternBytes } from './helpers.ts';

Deno.test('wasm mask = the core loop, copying and in place, across block and tail boundaries', () => {
  const mask = createWasmMask();
  assert(mask !== undefined, 'WebAssembly SIMD is available in Deno');
  const lengths = [0, 1, 3, 4, 15, 16, 17, 63, 64, 65, 1023, 1024, 4099, 262143, 262144, 262145, 600_001];
  for (const [index, length] of lengths.entries()) {
    const source = patternBytes(length, index + 1);
    const key = patternBytes(4, 100 + index);
    const offset = index % 7;
    const expected = new Uint8Array(length + offset);
    maskInto(source, expected.subarray(offset, offset + length), key, 0);
    const copied = new Uint8Array(length + offset);
    mask(source, key, copied, offset, length);
    const inPlace = source.slice();
    mask(inPlace, key, inPlace, 0, length);
    for (let i = 0; i < length; i++) {
      assert(copied[offset + i] === expected[offset + i], `copy differs at ${i} of ${length}`);
      assert(inPlace[i] === expected[offset + i], `in place differs at ${i} of ${length}`);
    }
  }
});
