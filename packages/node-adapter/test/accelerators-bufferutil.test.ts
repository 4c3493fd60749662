import { describe, expect, it } from 'vitest';
import { accelerators } from '../src/accelerators.js';

/** The native helpers handed to the core, picked like `ws` picks them. */
describe('accelerators', () => {
  it('uses bufferutil (installed as a devDependency here) for masking, and it XORs like §5.3 says', () => {
    expect(accelerators.nativeMask).toBeTypeOf('function');
    const data = new Uint8Array(2048).map((_, i) => i & 255);
    const key = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);
    // A plain Uint8Array view at an odd offset, as the core hands it over.
    const view = new Uint8Array(data.buffer, 3, 2000);
    const expected = view.map((b, i) => b ^ key[i & 3]!);
    // In place, as the core unmasks a piece of payload...
    const inPlace = view.slice();
    accelerators.nativeMask!(inPlace, key, inPlace, 0, inPlace.length);
    expect(inPlace).toEqual(expected);
    // ...and into another array at an offset, as it masks a frame or gathers a message.
    const target = new Uint8Array(2010);
    accelerators.nativeMask!(view, key, target, 7, view.length);
    expect(target.subarray(7, 2007)).toEqual(expected);
    expect(target.subarray(0, 7)).toEqual(new Uint8Array(7));
  });

  it('hands the core Buffer.allocUnsafe for large arrays it fills completely, zero-filled ones for small', () => {
    const large = accelerators.allocate!(100_000);
    expect(Buffer.isBuffer(large)).toBe(true);
    expect(large.length).toBe(100_000);
    const small = accelerators.allocate!(100);
    expect(small).toEqual(new Uint8Array(100));
  });

  it('uses buffer.isUtf8 for whole text messages', () => {
    expect(accelerators.nativeUtf8Check).toBeTypeOf('function');
    expect(accelerators.nativeUtf8Check!(new TextEncoder().encode('héllo'))).toBe(true);
    expect(accelerators.nativeUtf8Check!(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(false);
  });
});
