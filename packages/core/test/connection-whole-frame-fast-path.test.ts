import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionEvent, ProtocolError } from '../src/index.js';
import { FrameParser } from '../src/frame-parser.js';
import { unmaskBehindKey } from '../src/mask.js';
import { Opcode } from '../src/opcode.js';
import { KEY, bytes, clientFrame, concat, feed, frame, sentCloseCode, server, client, text, twoWaySplits } from './helpers.js';

/**
 * The fast path for a whole unfragmented data frame lying within one read (`readWholeDataFrame`)
 * must change nothing a user sees: the same events, bytes and close codes as the general path,
 * which takes every frame that arrives in pieces. Fed whole, a stream goes through the fast path
 * wherever it can; fed one byte at a time, never.
 */

/** What a test compares: events with their bytes copied out, errors by their codes. */
function summary(events: ConnectionEvent[]): unknown[] {
  return events.map((event) => {
    if (event.type === 'message') return ['message', event.binary, Array.from(event.data)];
    if (event.type === 'ping' || event.type === 'pong') return [event.type, Array.from(event.data)];
    if (event.type === 'error') return ['error', (event.error as ProtocolError).code, (event.error as ProtocolError).closeCode];
    if (event.type === 'close') return ['close', event.code, event.reason];
    return [event.type];
  });
}

const bytewise = (length: number) => Array<number>(length).fill(1);

/** One client frame of a random kind: most are whole small messages, some are everything else. */
const clientFrames = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('binary', 'text'), size: fc.oneof(fc.nat(130), fc.constantFrom(125, 126, 1023, 1024, 1025, 65535, 65536)) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('fragmented', 'ping', 'bad-utf8', 'rsv1', 'unmasked', 'continuation'), size: fc.nat(40) }) },
  ),
  { maxLength: 12 },
);

function wireOf(frames: Array<{ kind: string; size: number }>): Uint8Array {
  return concat(
    ...frames.map(({ kind, size }, n) => {
      const payload = new Uint8Array(size).map((_, i) => (i * 31 + n) & 0x7f); // ASCII: valid UTF-8 too
      switch (kind) {
        case 'binary':
          return clientFrame(Opcode.BINARY, payload);
        case 'text':
          return clientFrame(Opcode.TEXT, payload);
        case 'fragmented':
          return concat(clientFrame(Opcode.TEXT, payload, { fin: false }), clientFrame(Opcode.CONTINUATION, payload));
        case 'ping':
          return clientFrame(Opcode.PING, payload);
        case 'bad-utf8':
          return clientFrame(Opcode.TEXT, concat(payload, bytes(0xc0, 0x80)));
        case 'rsv1':
          return clientFrame(Opcode.BINARY, payload, { rsv: 0x40 });
        case 'unmasked':
          return frame(Opcode.BINARY, payload);
        default:
          return clientFrame(Opcode.CONTINUATION, payload);
      }
    }),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('whole frames within one read (fast path)', () => {
  it('property: fed whole, fed byte by byte and split at a random offset, a stream gives the same events and close code', () => {
    fc.assert(
      fc.property(clientFrames, fc.nat(), fc.integer({ min: 0, max: 70_000 }), (frames, cut, maxPayload) => {
        const wire = wireOf(frames);
        const limit = maxPayload > 66_000 ? 0 : maxPayload; // sometimes no limit, sometimes one a frame crosses
        const whole = server({ maxPayload: limit });
        const expected = summary(feed(whole, wire));
        const split = server({ maxPayload: limit });
        expect(summary(feed(split, wire, [cut % (wire.length + 1)]))).toEqual(expected);
        if (wire.length < 5000) {
          const slow = server({ maxPayload: limit });
          expect(summary(feed(slow, wire, bytewise(wire.length)))).toEqual(expected);
          expect(sentCloseCode(slow)).toBe(sentCloseCode(whole));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('two frames split at every offset give the same two messages', () => {
    const wire = concat(clientFrame(Opcode.BINARY, new Uint8Array(70).fill(9)), clientFrame(Opcode.TEXT, 'héllo wörld'));
    const expected = summary(feed(server(), wire));
    expect(expected).toEqual([
      ['message', true, Array(70).fill(9)],
      ['message', false, Array.from(text('héllo wörld'))],
    ]);
    for (const pieces of twoWaySplits(wire.length)) expect(summary(feed(server(), wire, pieces))).toEqual(expected);
  });

  it('keeps every rule: limits (1009), UTF-8 (1007), masking and fragmentation (1002)', () => {
    const close = (conn: ReturnType<typeof server>, wire: Uint8Array) => {
      feed(conn, wire);
      return sentCloseCode(conn);
    };
    expect(close(server({ maxPayload: 63 }), clientFrame(Opcode.BINARY, new Uint8Array(64)))).toBe(1009);
    expect(close(server({ maxFrameSize: 10 }), clientFrame(Opcode.BINARY, new Uint8Array(11)))).toBe(1009);
    expect(close(server(), clientFrame(Opcode.TEXT, bytes(0x61, 0xff)))).toBe(1007);
    expect(close(server(), frame(Opcode.BINARY, 'unmasked to a server'))).toBe(1002);
    expect(close(client(), frame(Opcode.BINARY, 'masked to a client', { mask: KEY }))).toBe(1002);
    // A whole data frame while a fragmented message is open is a protocol error (§5.4).
    expect(close(server(), concat(clientFrame(Opcode.TEXT, 'a', { fin: false }), clientFrame(Opcode.BINARY, 'b')))).toBe(1002);
    // At the limit exactly, delivered.
    expect(summary(feed(server({ maxPayload: 64 }), clientFrame(Opcode.BINARY, new Uint8Array(64))))[0]).toEqual(['message', true, Array(64).fill(0)]);
  });

  it('counts the work: 1,000 whole frames in one read parse no header object and make one view each', () => {
    const payload = new Uint8Array(64).fill(0x5a);
    const wire = concat(...Array.from({ length: 1000 }, () => clientFrame(Opcode.BINARY, payload)));
    const readHeader = vi.spyOn(FrameParser.prototype, 'readHeader');
    let views = 0;
    const conn = server({
      byteView: (buffer, offset, length) => {
        views++;
        return new Uint8Array(buffer, offset, length);
      },
    });
    const events = feed(conn, wire);
    expect(events).toHaveLength(1000);
    expect(events.every((e) => e.type === 'message' && e.data.length === 64 && e.data.every((b) => b === 0x5a))).toBe(true);
    expect(views).toBe(1000);
    // Only the look for a 1,001st frame, which finds none.
    expect(readHeader.mock.results.filter((r) => r.value !== null)).toHaveLength(0);
    // The same frames one byte at a time take the general path: a header per frame.
    const slow = server();
    expect(feed(slow, wire.subarray(0, 70 * 10), bytewise(700))).toHaveLength(10);
    expect(readHeader.mock.results.filter((r) => r.value !== null)).toHaveLength(10);
  });

  it('unmaskBehindKey agrees with the byte-by-byte definition at any alignment and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(7), fc.nat(7), (data, key, shift, sub) => {
        // [filler × shift] [key] [data] [filler × 5], seen through a chunk that starts `sub` bytes in.
        const backing = new Uint8Array(shift + 4 + data.length + 5).fill(0xee);
        backing.set(key, shift);
        backing.set(data, shift + 4);
        const from = Math.min(sub, shift);
        const chunk = backing.subarray(from);
        unmaskBehindKey(chunk, shift - from + 4, data.length, undefined);
        for (let i = 0; i < data.length; i++) expect(backing[shift + 4 + i]).toBe(data[i]! ^ key[i & 3]!);
        // Bytes around the payload are untouched.
        expect(Array.from(backing.subarray(shift, shift + 4))).toEqual(Array.from(key));
        for (let i = 0; i < shift; i++) expect(backing[i]).toBe(0xee);
        for (let i = shift + 4 + data.length; i < backing.length; i++) expect(backing[i]).toBe(0xee);
      }),
      { numRuns: 500 },
    );
  });
});
