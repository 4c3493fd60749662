import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NativeMask } from '../src/index.js';
import { encodeFrame } from '../src/frames.js';
import { KEY, client, concat, drain, frame, server, wireFrames } from './helpers.js';

/**
 * Every frame a client sends is masked with a fresh key carried in its header (RFC 6455 §5.3).
 * The writer writes the key straight into the header and masks behind it, through the byte
 * loop, the word loop or a native mask depending on the size: all must give the same bytes.
 */

const nativeMask: NativeMask = (source, key, target, offset, length) => {
  for (let i = 0; i < length; i++) target[offset + i] = source[i]! ^ key[i & 3]!;
};

/** [key, unmasked payload] of every frame in `wire`, each checked to be masked. */
function maskedFrames(wire: Uint8Array): Array<[Uint8Array, Uint8Array]> {
  return wireFrames(wire).map(({ key, payload }) => {
    expect(key).toBeDefined();
    return [key!, payload];
  });
}

describe('client frames are masked (§5.3)', () => {
  it('with the key in their header, for every size around the loop and native thresholds', () => {
    for (const native of [undefined, nativeMask]) {
      const c = client(native ? { nativeMask: native } : {});
      const sizes = [0, 1, 3, 4, 5, 47, 48, 63, 64, 65, 125, 126, 255, 256, 257, 1023, 1024, 1025, 70_000];
      const payloads = sizes.map((n) => new Uint8Array(n).map((_, i) => (i * 29 + n) & 255));
      for (const payload of payloads) c.send(payload);
      const frames = maskedFrames(concat(...c.takeOutput()));
      expect(frames.map(([, payload]) => payload)).toEqual(payloads);
    }
  });

  it('by encodeFrame with the caller\'s key: the same bytes as a frame built by hand, native mask or not', () => {
    for (const native of [undefined, nativeMask]) {
      for (const n of [0, 5, 63, 64, 65, 255, 256, 1500, 70_000]) {
        const payload = new Uint8Array(n).map((_, i) => (i * 13 + 1) & 255);
        const built = concat(...encodeFrame(0x2, payload, { fin: true, rsv: 0, maskKey: KEY, nativeMask: native }));
        expect(built).toEqual(frame(0x2, payload, { mask: KEY }));
      }
    }
  });

  it('with a fresh key for each frame, also when the key pool is refilled', () => {
    const c = client();
    for (let i = 0; i < 2000; i++) c.send(Uint8Array.of(i & 255));
    const keys = maskedFrames(concat(...c.takeOutput())).map(([key]) => key.join(','));
    // 4-byte random keys: 2000 of them repeat with probability ~5e-4 at most.
    expect(new Set(keys).size).toBeGreaterThan(1995);
  });

  it("with the application's generateMask: called once per frame as it is built, its keys on the wire", () => {
    let calls = 0;
    const c = client({
      generateMask: (key: Uint8Array) => {
        calls++;
        key.set([calls, 0xa0, 0xb0, 0xc0]);
      },
    });
    const payloads = [Uint8Array.of(1, 2, 3), new Uint8Array(300).fill(9), new Uint8Array(0)];
    for (const payload of payloads) c.send(payload);
    c.ping(Uint8Array.of(7));
    expect(calls).toBe(4);
    const frames = maskedFrames(concat(...c.takeOutput()));
    expect(frames.map(([key]) => [...key])).toEqual([1, 2, 3, 4].map((n) => [n, 0xa0, 0xb0, 0xc0]));
    expect(frames.map(([, payload]) => payload)).toEqual([...payloads, Uint8Array.of(7)]);
  });

  it('and a server reads them back whatever the size and native mask (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), (payload, native) => {
        const c = client(native ? { nativeMask } : {});
        const s = server();
        c.send(payload);
        for (const chunk of c.takeOutput()) s.receiveData(chunk);
        const events = drain(s);
        expect(events).toEqual([{ type: 'message', data: payload, binary: true }]);
      }),
      { numRuns: 200 },
    );
  });
});
