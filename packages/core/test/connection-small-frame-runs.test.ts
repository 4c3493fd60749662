import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Opcode } from '../src/opcode.js';
import { concat, frame, server, takeFrames } from './helpers.js';

/** Byte equality without a deep-equality diff per element (payloads here reach 64 KiB). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A server's small frames are written back to back into one array, so a batch of many leaves
 * `takeOutput()` as one chunk (one write) instead of one array per frame. These tests drive
 * real bytes: the wire must be exactly the frames built by hand, whatever the mix of sends.
 */
describe('small frames written back to back', () => {
  it('a batch of 1,000 echoed 64-byte messages comes out as one chunk, byte for byte the frames', () => {
    const s = server();
    const payload = Uint8Array.from({ length: 64 }, (_, i) => i);
    for (let i = 0; i < 1000; i++) s.send(payload);
    expect(s.outputBytes).toBe(1000 * 66);
    const chunks = s.takeOutput();
    // The first batch grows its run from one frame's size (a few chunks); the next batch
    // starts at the size of this one, so it is a single chunk.
    expect(chunks.length).toBeLessThanOrEqual(12);
    expect(concat(...chunks)).toEqual(concat(...Array.from({ length: 1000 }, () => frame(Opcode.BINARY, payload))));
    for (let i = 0; i < 900; i++) s.send(payload);
    const next = s.takeOutput();
    expect(next).toHaveLength(1);
    expect(next[0]!.length).toBe(900 * 66);
  });

  it('chunks already handed out never change: later sends go after them, large payloads keep their own chunk', () => {
    const s = server();
    s.send('a');
    s.send('bb');
    const first = s.takeOutput();
    const firstCopy = concat(...first);
    const big = new Uint8Array(5000).fill(7);
    s.send('ccc');
    s.send(big);
    s.send('dddd');
    s.ping('p');
    const second = s.takeOutput();
    expect(concat(...first)).toEqual(firstCopy);
    // 'ccc' | header of big | big itself (passed through, not copied) | 'dddd' + ping
    expect(second.some((chunk) => chunk === big)).toBe(true);
    expect(concat(...second)).toEqual(
      concat(frame(Opcode.TEXT, 'ccc'), frame(Opcode.BINARY, big), frame(Opcode.TEXT, 'dddd'), frame(Opcode.PING, 'p')),
    );
  });

  it('an idle connection keeps no run after takeOutput (one frame per flush costs one small array, as before)', () => {
    const s = server();
    s.send(new Uint8Array(64));
    const [only] = s.takeOutput();
    expect(only!.length).toBe(66);
    // The frame is a view of a small array, not of a 64 KiB one.
    expect(only!.buffer.byteLength).toBeLessThanOrEqual(64 * 1024);
    expect(s.takeOutput()).toEqual([]);
  });

  it('a chunk never pins a run mostly empty: after a batch of 33,000 bytes, one small send costs its own bytes', () => {
    const s = server();
    const payload = new Uint8Array(64).fill(1);
    const batch = () => {
      for (let i = 0; i < 500; i++) s.send(payload);
      expect(concat(...s.takeOutput()).length).toBe(33_000);
    };
    // The next batch's run is made at 33,000 bytes (slabs for small arrays are 64 KiB: told apart).
    const ofRunSize = (chunk: Uint8Array) => chunk.buffer.byteLength === 33_000;
    batch();
    s.send(payload);
    const [alone] = s.takeOutput();
    expect(alone!.length).toBe(66);
    expect(ofRunSize(alone!)).toBe(false);
    // Mid-batch too: a small frame, then a large one (which seals the run), then nothing more.
    batch();
    s.send(payload);
    s.send(new Uint8Array(5000));
    const chunks = s.takeOutput();
    expect(chunks[0]!.length).toBe(66);
    expect(ofRunSize(chunks[0]!)).toBe(false);
    // A batch like the last one still goes out as one chunk of its run.
    batch();
    for (let i = 0; i < 500; i++) s.send(payload);
    const [whole, ...rest] = s.takeOutput();
    expect(rest).toHaveLength(0);
    expect(ofRunSize(whole!)).toBe(true);
  });

  it('property: any mix of sends, pings, prebuilt frames and takeOutput calls writes exactly the frames built by hand', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('binary' as const), size: fc.oneof(fc.nat(130), fc.integer({ min: 900, max: 1100 }), fc.constantFrom(65_535, 65_536)) }),
      fc.record({ kind: fc.constant('text' as const), size: fc.nat(300) }),
      fc.record({ kind: fc.constant('ping' as const), size: fc.nat(125) }),
      fc.record({ kind: fc.constant('frames' as const), size: fc.nat(200) }),
      fc.record({ kind: fc.constant('take' as const), size: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = server();
        const expected: Uint8Array[] = [];
        const written: Uint8Array[] = [];
        const taken: Array<[Uint8Array, Uint8Array]> = [];
        const take = () => {
          for (const chunk of s.takeOutput()) {
            written.push(chunk);
            taken.push([chunk, chunk.slice()]);
          }
        };
        ops.forEach(({ kind, size }, n) => {
          const payload = new Uint8Array(size).fill(n & 0xff);
          if (kind === 'binary') {
            s.send(payload);
            expected.push(frame(Opcode.BINARY, payload));
          } else if (kind === 'text') {
            s.send('x'.repeat(size));
            expected.push(frame(Opcode.TEXT, 'x'.repeat(size)));
          } else if (kind === 'ping') {
            s.ping(payload);
            expected.push(frame(Opcode.PING, payload));
          } else if (kind === 'frames') {
            const prebuilt = frame(Opcode.BINARY, payload);
            s.sendFrames([prebuilt]);
            expected.push(prebuilt);
          } else take();
        });
        take();
        expect(sameBytes(concat(...written), concat(...expected))).toBe(true);
        // Nothing handed out was written to afterwards.
        for (const [chunk, copy] of taken) expect(sameBytes(chunk, copy)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('takeFrames (the test helper) splits a run back into its frames', () => {
    const s = server();
    s.send('one');
    s.send(new Uint8Array(200));
    expect(takeFrames(s).map((f) => f.length)).toEqual([5, 204]);
  });
});
