import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode, type ConnectionEvent, type NativeMask } from '../src/index.js';
import { Opcode } from '../src/frames.js';
import { KEY, clientFrame, concat, decode, feed, frame, server, client, text } from './helpers.js';

/**
 * A message sent as one frame and arriving in many reads is gathered into one array of its
 * announced size, read by read (unmasking while copying), instead of being held in pieces and
 * joined at the end. What a user sees must not change: the same bytes, the same failures.
 */

const KiB = 1024;

/** An `allocate` that records what it was asked for and fills with garbage (as uninitialised memory may be). */
function recordingAllocate() {
  const calls: number[] = [];
  const allocate = (length: number) => {
    calls.push(length);
    return new Uint8Array(length).fill(0xee);
  };
  return { calls, allocate };
}

/** A `NativeMask` with bufferutil's semantics that counts how often it copied into another array. */
function countingNativeMask() {
  const counts = { inPlace: 0, copying: 0 };
  const nativeMask: NativeMask = (source, key, target, offset, length) => {
    if (source === target) counts.inPlace++;
    else counts.copying++;
    for (let i = 0; i < length; i++) target[offset + i] = source[i]! ^ key[i & 3]!;
  };
  return { counts, nativeMask };
}

const patterned = (length: number, seed = 7) => new Uint8Array(length).map((_, i) => (i * seed + (i >> 8)) & 255);

/** Cuts `total` bytes into reads of `size` (the last one shorter). */
const reads = (total: number, size: number) => Array.from({ length: Math.ceil(total / size) }, () => size);

function onlyMessage(events: ConnectionEvent[]): Uint8Array {
  expect(events.map((e) => e.type)).toEqual(['message']);
  return (events[0] as { data: Uint8Array }).data;
}

/** Where two byte arrays first differ (-1: equal). Deep equality on megabytes is too slow here. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const expectSameBytes = (actual: Uint8Array, expected: Uint8Array) => expect(firstDifference(actual, expected)).toBe(-1);

describe('a single-frame message arriving in many reads', () => {
  it('is delivered whole and exact after one allocation of its announced size (server, masked)', () => {
    const { calls, allocate } = recordingAllocate();
    const payload = patterned(1024 * KiB);
    const events = feed(server({ allocate }), clientFrame(Opcode.BINARY, payload), reads(payload.length + 14, 64 * KiB));
    expectSameBytes(onlyMessage(events), payload);
    expect(calls).toEqual([payload.length]);
  });

  it('is gathered the same way by a client (unmasked frames from a server)', () => {
    const { calls, allocate } = recordingAllocate();
    const payload = patterned(300 * KiB, 13);
    const events = feed(client({ allocate }), frame(Opcode.BINARY, payload), reads(payload.length + 10, 10_000));
    expectSameBytes(onlyMessage(events), payload);
    expect(calls).toEqual([payload.length]);
  });

  it('unmasks through the native mask while copying, each read from its own key position', () => {
    const { counts, nativeMask } = countingNativeMask();
    const payload = patterned(200 * KiB, 3);
    // Odd read sizes: every read after the first starts at a different key position.
    const events = feed(server({ nativeMask }), clientFrame(Opcode.BINARY, payload), reads(payload.length + 14, 4099));
    expectSameBytes(onlyMessage(events), payload);
    expect(counts.copying).toBeGreaterThan(40);
  });

  it('unmasks each byte once: a message split over two reads is gathered from its first piece, none unmasked in place', () => {
    const { counts, nativeMask } = countingNativeMask();
    const { calls, allocate } = recordingAllocate();
    const payload = patterned(16 * KiB, 9);
    const wire = clientFrame(Opcode.BINARY, payload);
    // The frame's header and first half in one read, its second half in the next (a 16 KiB
    // message across a 64 KiB read boundary, as on a socket).
    const first = wire.slice(0, 8 + 8 * KiB);
    const events = feed(server({ nativeMask, allocate }), wire, [first.length, wire.length - first.length]);
    expectSameBytes(onlyMessage(events), payload);
    expect(counts).toEqual({ inPlace: 0, copying: 2 });
    expect(calls).toEqual([payload.length]);
  });

  it('still hands out a message that arrives whole in one read as a view, unmasked in place (no copy)', () => {
    const { counts, nativeMask } = countingNativeMask();
    const { calls, allocate } = recordingAllocate();
    const payload = patterned(16 * KiB, 9);
    const events = feed(server({ nativeMask, allocate }), concat(clientFrame(Opcode.BINARY, payload), clientFrame(Opcode.BINARY, payload)), [
      2 * (payload.length + 8),
    ]);
    expect(events.map((e) => e.type)).toEqual(['message', 'message']);
    expect(counts).toEqual({ inPlace: 2, copying: 0 });
    expect(calls).toEqual([]);
  });

  it('commits no memory ahead of what the peer sent beyond 16 times it: a bare header reserves nothing', () => {
    const { calls, allocate } = recordingAllocate();
    const conn = server({ allocate });
    const announced = 64 * 1024 * KiB; // within the default maxPayload of 100 MiB
    const allocated = () => calls.reduce((sum, n) => sum + n, 0);
    // A masked header announcing 64 MiB, then 1 MiB of its payload.
    const header = frame(Opcode.BINARY, new Uint8Array(0), { length: announced, mask: KEY });
    expect(header.length).toBe(14);
    expect(feed(conn, concat(header, new Uint8Array(1024 * KiB)), reads(14 + 1024 * KiB, 64 * KiB))).toEqual([]);
    // 1 MiB of 64 MiB arrived: held as the reads it came in (only a short last read was copied).
    expect(allocated()).toBeLessThan(1024);
    expect(conn.heldBytes).toBeLessThan(2 * 1024 * KiB);
    expect(feed(conn, new Uint8Array(3 * 1024 * KiB), reads(3 * 1024 * KiB, 64 * KiB))).toEqual([]);
    expect(calls).toContain(announced); // 4 MiB = 1/16 arrived: now worth gathering
    expect(conn.heldBytes).toBe(announced);
  });

  it('fails a text message with invalid UTF-8 as soon as the bad bytes arrive, not at its end (§8.1)', () => {
    const good = text('é'.repeat(50 * KiB)); // 100 KiB of 2-byte sequences
    const payload = concat(good, Uint8Array.of(0xc3, 0x28), text('x'.repeat(500 * KiB)));
    const wire = clientFrame(Opcode.TEXT, payload);
    const conn = server();
    // Everything up to just after the invalid pair, in 16 KiB reads: the message is being gathered by then.
    const events = feed(conn, wire.subarray(0, 14 + good.length + 2), reads(14 + good.length + 2, 16 * KiB));
    expect(events.map((e) => e.type)).not.toContain('message');
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_INVALID_UTF8', closeCode: CloseCode.INVALID_PAYLOAD_DATA } });
  });

  it('delivers valid text whose multi-byte characters are cut between reads', () => {
    const message = '€😀ü'.repeat(40 * KiB);
    const payload = text(message);
    // 4097-byte reads cut characters at every possible position over the message.
    const events = feed(server(), clientFrame(Opcode.TEXT, payload), reads(payload.length + 14, 4097));
    expect(events.map((e) => e.type)).toEqual(['message']);
    expect(decode((events[0] as { data: Uint8Array }).data)).toBe(message);
  });

  it('still joins a fragmented message from its frames, through the same allocate', () => {
    const { calls, allocate } = recordingAllocate();
    const a = patterned(40 * KiB, 5);
    const b = patterned(30 * KiB, 11);
    const wire = concat(clientFrame(Opcode.BINARY, a, { fin: false }), clientFrame(Opcode.CONTINUATION, b));
    expectSameBytes(onlyMessage(feed(server({ allocate }), wire, reads(wire.length, 8 * KiB))), concat(a, b));
    // One array for the message; before it, only a small tail for the 14-byte piece a read cut off.
    expect(calls.at(-1)).toBe(a.length + b.length);
    expect(calls.slice(0, -1).every((n) => n <= 1024)).toBe(true);
  });

  it('arrives the same whatever the reads, masked or not, native mask or not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 * KiB }),
        fc.array(fc.integer({ min: 1, max: 40 * KiB }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        (length, cuts, toServer, native) => {
          const payload = patterned(length, 1 + (length % 17));
          const options = native ? { nativeMask: countingNativeMask().nativeMask } : {};
          const conn = toServer ? server(options) : client(options);
          const wire = toServer ? clientFrame(Opcode.BINARY, payload) : frame(Opcode.BINARY, payload);
          expectSameBytes(onlyMessage(feed(conn, wire, cuts)), payload);
        },
      ),
      { numRuns: 40 },
    );
  });
});
