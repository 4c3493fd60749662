import { describe, expect, it } from 'vitest';
import { concat, drain, server, client } from './helpers.js';

/**
 * `allocate` may hand the core uninitialised memory (Node's `Buffer.allocUnsafe`): frames and
 * the slabs small frames are carved from must come out right whatever the memory held before.
 * Garbage-filled arrays stand in for it here, so a byte the core forgot to write shows.
 */
const garbageAllocate = (length: number) => new Uint8Array(length).fill(0xa5);

const sizes = [0, 1, 2, 64, 125, 126, 127, 1000, 1024, 1025, 4096, 4097, 65_535, 65_536, 100_000];
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
const payloadOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 7 + n) & 255);

describe('frames built in memory that held something else', () => {
  for (const [from, to] of [
    ['client', 'server'],
    ['server', 'client'],
  ] as const) {
    it(`${from} → ${to}: every size arrives exact (headers, keys and payloads all written)`, () => {
      const sender = from === 'client' ? client({ allocate: garbageAllocate }) : server({ allocate: garbageAllocate });
      const receiver = to === 'server' ? server() : client();
      // Enough small frames to need several slabs.
      const payloads = [...sizes, ...Array.from({ length: 3000 }, (_, i) => i % 200)].map(payloadOf);
      for (const payload of payloads) sender.send(payload);
      receiver.receiveData(concat(...sender.takeOutput()));
      const events = drain(receiver);
      expect(events.map((e) => e.type === 'message' && e.data.length)).toEqual(payloads.map((p) => p.length));
      // Compared byte by byte in a loop: toEqual on 3,000 arrays (up to 100 KB) took seconds.
      // The first mismatch, if any, goes through toEqual for a readable diff.
      const wrong = events.findIndex((event, i) => !(event.type === 'message' && event.binary && sameBytes(event.data, payloads[i]!)));
      if (wrong >= 0) expect(events[wrong]).toEqual({ type: 'message', data: payloads[wrong], binary: true });
    });
  }
});
