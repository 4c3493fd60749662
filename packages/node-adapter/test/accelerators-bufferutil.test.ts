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
    accelerators.nativeMask!(view, key);
    expect(view).toEqual(expected);
  });

  it('uses buffer.isUtf8 for whole text messages', () => {
    expect(accelerators.nativeUtf8Check).toBeTypeOf('function');
    expect(accelerators.nativeUtf8Check!(new TextEncoder().encode('héllo'))).toBe(true);
    expect(accelerators.nativeUtf8Check!(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(false);
  });
});
