/**
 * What a never-finished message can cost (CVE-2026-48779 / GHSA-96hv-2xvq-fx4p shape): a peer
 * opens a message and sends tiny continuation frames forever. Memory held must stay a small
 * multiple of the bytes the message carried, whatever the fragment sizes, and the number of
 * fragments is capped (`maxFragments`, 1009). Real frame bytes, both roles, checked through
 * the core's own accounting (`Connection.heldBytes`), so nothing here depends on the GC.
 */
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  type Connection,
  type ConnectionEvent,
  type ConnectionOptions,
  DEFAULT_MAX_FRAGMENTS,
  createPerMessageDeflate,
  pureDeflateCodec,
} from '../src/index.js';
import { Opcode } from '../src/frames.js';
import { KEY, clientFrame, concat, drain, frame, sentCloseCode, server, client, text } from './helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The bound the core promises for an unfinished message (see MessagePieces), plus one read of unparsed input. */
const heldBound = (carried: number, readSize: number) => 2.5 * carried + 64 * KiB + 384 + readSize;

/** `count` frames of a message whose every fragment carries `size` bytes, opened by a text frame and never finished. */
function tinyFragments(role: 'to-server' | 'to-client', count: number, size = 1, finishWith?: number): Uint8Array {
  const mask = role === 'to-server' ? KEY : undefined;
  const payload = new Uint8Array(size).fill(0x61); // 'a': valid UTF-8 in any split
  const first = frame(Opcode.TEXT, payload, { fin: false, mask });
  const next = frame(Opcode.CONTINUATION, payload, { fin: false, mask });
  const last = finishWith === undefined ? new Uint8Array(0) : frame(Opcode.CONTINUATION, new Uint8Array(finishWith).fill(0x61), { mask });
  const out = new Uint8Array(first.length + (count - 1) * next.length + last.length);
  out.set(first, 0);
  for (let i = 1, at = first.length; i < count; i++, at += next.length) out.set(next, at);
  out.set(last, out.length - last.length);
  return out;
}

interface Run {
  events: ConnectionEvent[];
  /** The most `heldBytes` was at any point, and the payload bytes the message had carried then. */
  maxHeld: number;
  carriedAtMax: number;
}

/** Feeds `wire` in reads of `readSize` (each its own array, as a socket hands them), until the connection fails or the input ends. */
function run(conn: Connection, wire: Uint8Array, readSize: number, payloadPerFrame: number, frameSize: number): Run {
  const events: ConnectionEvent[] = [];
  let maxHeld = 0;
  let carriedAtMax = 0;
  for (let offset = 0; offset < wire.length; offset += readSize) {
    conn.receiveData(wire.slice(offset, offset + readSize));
    events.push(...drain(conn));
    if (conn.heldBytes > maxHeld) {
      maxHeld = conn.heldBytes;
      carriedAtMax = Math.floor((offset + readSize) / frameSize) * payloadPerFrame;
    }
    if (events.some((e) => e.type === 'error' || e.type === 'message')) break;
  }
  return { events, maxHeld, carriedAtMax };
}

describe.each([
  { role: 'server', make: server, wire: 'to-server', frameSize: 7 },
  { role: 'client', make: client, wire: 'to-client', frameSize: 3 },
] as const)('a $role receiving a message that never ends', ({ role, make, wire, frameSize }) => {
  const cap = DEFAULT_MAX_FRAGMENTS[role];

  it(`refuses 1,000,000 one-byte fragments with 1009 at its default cap (${cap}), holding about what they carried`, () => {
    const conn = make();
    const { events, maxHeld } = run(conn, tinyFragments(wire, 1_000_000), 64 * KiB, 1, frameSize);
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ error: { code: 'WS_ERR_TOO_MANY_BUFFERED_PARTS', closeCode: CloseCode.MESSAGE_TOO_BIG } });
    expect(events.map((e) => e.type)).toEqual(['error', 'close-transport']);
    expect(sentCloseCode(conn)).toBe(CloseCode.MESSAGE_TOO_BIG);
    // At most `cap` bytes were carried before the cap cut the message off.
    expect(maxHeld).toBeLessThanOrEqual(heldBound(cap, 64 * KiB));
    expect(conn.heldBytes).toBe(0); // failed: the pieces are let go
  });

  it('with the fragment cap off, 1 MiB in one-byte fragments costs about 1 MiB, not a hundred times that', () => {
    const conn = make({ maxFragments: 0, maxPayload: MiB });
    const { events, maxHeld, carriedAtMax } = run(conn, tinyFragments(wire, MiB + 1), 64 * KiB, 1, frameSize);
    // One more byte than maxPayload allows: 1009 from the limit on bytes, not on fragments.
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 } });
    expect(maxHeld).toBeLessThanOrEqual(heldBound(carriedAtMax, 64 * KiB));
    expect(maxHeld).toBeLessThan(3 * MiB);
  });

  it('exactly maxFragments frames make a message; one more is refused', () => {
    const ok = run(make({ maxFragments: 10 }), tinyFragments(wire, 9, 3, 3), 1024, 3, frameSize + 2);
    expect(ok.events).toMatchObject([{ type: 'message', binary: false }]);
    expect((ok.events[0] as { data: Uint8Array }).data).toEqual(new Uint8Array(30).fill(0x61));
    const refused = run(make({ maxFragments: 10 }), tinyFragments(wire, 10, 3, 3), 1024, 3, frameSize + 2);
    expect(refused.events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_TOO_MANY_BUFFERED_PARTS' } });
  });

  it('lets through 16 KiB in one-byte fragments (under the default cap), byte for byte', () => {
    const { events, maxHeld } = run(make(), tinyFragments(wire, 16 * KiB - 1, 1, 1), 4 * KiB, 1, frameSize);
    expect(events.map((e) => e.type)).toEqual(['message']);
    expect((events[0] as { data: Uint8Array }).data).toEqual(new Uint8Array(16 * KiB).fill(0x61));
    expect(maxHeld).toBeLessThanOrEqual(heldBound(16 * KiB, 4 * KiB));
  });

  it('lets through 16 MiB in 64 KiB fragments, held as the reads it came in', () => {
    const piece = new Uint8Array(64 * KiB).map((_, i) => i & 0xff);
    const mask = wire === 'to-server' ? KEY : undefined;
    const frames = Array.from({ length: 256 }, (_, i) =>
      frame(i === 0 ? Opcode.BINARY : Opcode.CONTINUATION, piece, { fin: i === 255, mask }),
    );
    const all = concat(...frames);
    const { events, maxHeld } = run(make(), all, 64 * KiB, 64 * KiB, frames[1]!.length);
    expect(events.map((e) => e.type)).toEqual(['message']);
    const data = (events[0] as { data: Uint8Array }).data;
    expect(data.length).toBe(16 * MiB);
    for (let i = 0; i < 256; i++) expect(data[i * 64 * KiB + 255 * 3]).toBe((255 * 3) & 0xff);
    expect(maxHeld).toBeLessThanOrEqual(heldBound(16 * MiB, 64 * KiB));
  });

  it('copies a piece that would pin a whole read: a 2 KiB fragment among 62 KiB of pings costs 2 KiB, not 64', () => {
    const conn = make({ autoPong: false });
    const mask = wire === 'to-server' ? KEY : undefined;
    const ping = frame(Opcode.PING, new Uint8Array(120), { mask });
    let carried = 0;
    let maxHeld = 0;
    for (let i = 0; i < 100; i++) {
      const fragment = frame(i === 0 ? Opcode.BINARY : Opcode.CONTINUATION, new Uint8Array(2 * KiB), { fin: false, mask });
      const pings = Array.from({ length: Math.floor((62 * KiB) / ping.length) }, () => ping);
      conn.receiveData(concat(fragment, ...pings));
      expect(drain(conn).every((e) => e.type === 'ping')).toBe(true);
      carried += 2 * KiB;
      maxHeld = Math.max(maxHeld, conn.heldBytes);
    }
    // Held as views, the 100 fragments would pin 100 reads of 64 KiB (6.4 MB).
    expect(maxHeld).toBeLessThanOrEqual(heldBound(carried, 0));
    expect(maxHeld).toBeLessThan(1024 * KiB);
  });
});

describe('fragment-level delivery (deliverFragments)', () => {
  it('holds nothing of the message, and the fragment cap still applies', () => {
    const conn = server({ deliverFragments: true, maxFragments: 1000 });
    let fragments = 0;
    const wire = tinyFragments('to-server', 5000);
    for (let offset = 0; offset < wire.length; offset += 4 * KiB) {
      conn.receiveData(wire.slice(offset, offset + 4 * KiB));
      for (const event of drain(conn)) {
        if (event.type === 'fragment') fragments++;
        else {
          expect(event).toMatchObject({ type: 'error', error: { code: 'WS_ERR_TOO_MANY_BUFFERED_PARTS' } });
          expect(fragments).toBe(1000);
          return;
        }
      }
      // Only a frame cut by the read's end waits, unparsed (a frame here is 7 bytes).
      expect(conn.heldBytes).toBeLessThan(7);
    }
    expect.unreachable('the 1001st fragment must be refused');
  });

  it('an application that does not consume holds only the unparsed input, never one object per fragment', () => {
    const conn = server({ deliverFragments: true });
    const wire = tinyFragments('to-server', 10_000);
    conn.receiveData(wire.slice());
    expect(conn.nextEvent()).toMatchObject({ type: 'fragment', first: true });
    // Parsing is lazy: the rest waits as received bytes until events are asked for.
    expect(conn.heldBytes).toBe(wire.length - 7);
  });
});

describe('text validation across coalesced pieces', () => {
  it('still fails fast (1007) on invalid UTF-8 split over one-byte fragments', () => {
    const conn = server();
    const bytes = concat(text('ok '), Uint8Array.of(0xed, 0xa0, 0x80), text(' never read'));
    const frames = Array.from(bytes, (b, i) => clientFrame(i === 0 ? Opcode.TEXT : Opcode.CONTINUATION, Uint8Array.of(b), { fin: false }));
    conn.receiveData(concat(...frames));
    const events = drain(conn);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 } });
  });
});

describe('compressed messages (permessage-deflate, the pure codec)', () => {
  function deflatePair(serverOptions: Partial<ConnectionOptions> = {}) {
    const offerer = createPerMessageDeflate({ role: 'client', threshold: 0 }, pureDeflateCodec);
    const accepter = createPerMessageDeflate({ role: 'server', threshold: 0 }, pureDeflateCodec);
    const accepted = accepter.accept(offerer.offers())!;
    const confirmed = offerer.confirm(accepted.response);
    if (typeof confirmed === 'string') throw new Error(confirmed);
    return {
      // The sender cuts every compressed message into one-byte fragments.
      sender: client({ extensions: [confirmed], fragmentSize: 1 }),
      receiver: server({ extensions: [accepted.extension], ...serverOptions }),
    };
  }

  /** Letters in a fixed pseudo-random order: compresses to about 60 %, so to thousands of one-byte frames. */
  const letters = (length: number) => {
    let seed = 12345;
    return Array.from({ length }, () => String.fromCharCode(97 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % 26)).join('');
  };

  /** Feeds what `sender` wrote to `receiver` in 4 KiB reads; returns the events and the most held. */
  function deliver(sender: Connection, receiver: Connection) {
    const wire = concat(...sender.takeOutput());
    return run(receiver, wire, 4 * KiB, 0, 1);
  }

  it('a message in many tiny compressed fragments is cut off by the fragment cap (1009), holding little', () => {
    const { sender, receiver } = deflatePair({ maxFragments: 1000 });
    sender.send(letters(5000));
    const { events, maxHeld } = deliver(sender, receiver);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_TOO_MANY_BUFFERED_PARTS', closeCode: 1009 } });
    // About 1,000 inflated bytes were held, plus a read of compressed input.
    expect(maxHeld).toBeLessThanOrEqual(heldBound(1000, 4 * KiB));
  });

  it('under the cap, it is inflated piece by piece into about its size, and delivered exact', () => {
    const { sender, receiver } = deflatePair();
    const message = letters(20_000); // about 12,000 compressed one-byte frames
    sender.send(message);
    const { events, maxHeld } = deliver(sender, receiver);
    expect(events.map((e) => e.type)).toEqual(['message']);
    expect(new TextDecoder().decode((events[0] as { data: Uint8Array }).data)).toBe(message);
    expect(maxHeld).toBeLessThanOrEqual(heldBound(message.length, 4 * KiB));
  });

  it('many tiny compressed messages are read one at a time: unread ones wait as received bytes', () => {
    const { sender, receiver } = deflatePair();
    for (let i = 0; i < 2000; i++) sender.send(`m${i}`);
    const wire = concat(...sender.takeOutput());
    receiver.receiveData(wire);
    expect(receiver.nextEvent()).toMatchObject({ type: 'message' });
    expect(receiver.heldBytes).toBeLessThan(wire.length);
  });
});
