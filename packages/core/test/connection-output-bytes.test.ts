import { describe, expect, it } from 'vitest';
import type { Extension } from '../src/index.js';
import { client, server } from './helpers.js';

/** An extension whose encoder answers later, when the test says so (like an async zlib). */
function slowEncoder(): Extension & { finish: () => void } {
  const pending: Array<() => void> = [];
  return {
    name: 'x-slow',
    rsvMask: 0x40,
    decode: (payload) => payload,
    encode: (payload) => new Promise<Uint8Array>((resolve) => pending.push(() => resolve(payload))),
    rsvFor: () => 0x40,
    finish: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * `Connection.outputBytes`: what an adapter's `bufferedAmount` counts for frames the core has
 * produced but the adapter has not taken (and written) yet.
 */
describe('outputBytes', () => {
  it('counts every frame waiting in the output, header and mask key included, until takeOutput()', () => {
    const s = server();
    expect(s.outputBytes).toBe(0);
    s.send('hello'); // 2-byte header + 5
    s.send(new Uint8Array(200)); // 4-byte header (16-bit length, §5.2) + 200
    s.ping('p'); // 2 + 1
    expect(s.outputBytes).toBe(7 + 204 + 3);
    const taken = s.takeOutput();
    expect(taken.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(214);
    expect(s.outputBytes).toBe(0);

    const c = client();
    c.send('hi'); // 2 + 4-byte mask key + 2 (§5.3)
    expect(c.outputBytes).toBe(8);
    c.takeOutput();
    expect(c.outputBytes).toBe(0);
  });

  it('counts payloads held by an asynchronous encode and the sends waiting behind it', async () => {
    const extension = slowEncoder();
    const s = server({ extensions: [extension] });
    s.send(new Uint8Array(100)); // in the encoder
    s.send(new Uint8Array(30)); // waiting behind it
    s.ping('abc'); // waiting too (control frames keep their place)
    expect(s.isSending).toBe(true);
    expect(s.outputBytes).toBe(100 + 30 + 3);
    // One at a time: the first encode settles, the second message goes into the encoder.
    extension.finish();
    await settle();
    expect(s.outputBytes).toBe(2 + 100 + 30 + 3);
    extension.finish();
    await settle();
    expect(s.isSending).toBe(false);
    expect(s.outputBytes).toBe(2 + 100 + 2 + 30 + 2 + 3);
    s.takeOutput();
    expect(s.outputBytes).toBe(0);
  });
});

describe('outputBytes costs the same however much is queued', () => {
  /** Counts reads of a typed array's byteLength (how a sum over the queued frames would read them). */
  function countByteLengthReads(fn: () => void): number {
    const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
    const original = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'byteLength')!;
    let reads = 0;
    Object.defineProperty(typedArrayPrototype, 'byteLength', {
      configurable: true,
      get(this: Uint8Array) {
        reads++;
        return original.get!.call(this) as number;
      },
    });
    try {
      fn();
    } finally {
      Object.defineProperty(typedArrayPrototype, 'byteLength', original);
    }
    return reads;
  }

  it('a batch of n sends, each followed by a read of outputBytes (the send high-water mark), is O(n) work, not O(n²)', () => {
    const s = server();
    const sends = 5_000;
    const payload = new Uint8Array(64);
    let last = 0;
    const reads = countByteLengthReads(() => {
      for (let i = 0; i < sends; i++) {
        s.send(payload);
        last = s.outputBytes;
      }
    });
    expect(last).toBe(sends * (2 + 64));
    // Summing the queue on every read would read ~sends²/2 × 2 chunks = 25,000,000 lengths.
    expect(reads).toBeLessThan(sends * 20);
    expect(s.takeOutput().reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(last);
    expect(s.outputBytes).toBe(0);
  });
});
