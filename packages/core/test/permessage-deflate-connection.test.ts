/**
 * permessage-deflate inside real Connections, with the pure-TypeScript codec: the RFC 7692
 * §7.2.3 examples byte for byte, RSV1 and threshold rules, size limits (1009), corrupt data
 * (1007), ordering with an asynchronous codec, and compress → inflate round trips between a
 * client and a server for every window size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Connection,
  type ConnectionEvent,
  type DeflateCodec,
  type DeflateNegotiationOptions,
  type Extension,
  type ExtensionFactory,
  NEED_DATA,
  PENDING,
  ProtocolError,
  createPerMessageDeflate,
  pureDeflateCodec,
} from '../src/index.js';
import { concat, decode, drain, feed, feedBytewise, frame, hex, sentCloseCode, takeFrames, text } from './helpers.js';

const NAME = 'permessage-deflate';
const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

function negotiate(clientOptions: DeflateNegotiationOptions, serverOptions: DeflateNegotiationOptions, codec: DeflateCodec = pureDeflateCodec) {
  const client: ExtensionFactory = createPerMessageDeflate({ ...clientOptions, role: 'client' }, codec);
  const server: ExtensionFactory = createPerMessageDeflate({ ...serverOptions, role: 'server' }, codec);
  const accepted = server.accept(client.offers());
  if (accepted === null) throw new Error('declined');
  const confirmed = client.confirm(accepted.response);
  if (typeof confirmed === 'string') throw new Error(confirmed);
  return { client: confirmed, server: accepted.extension };
}

const clientWith = (extension: Extension, maxPayload?: number) =>
  new Connection({ role: 'client', extensions: [extension], ...(maxPayload === undefined ? {} : { maxPayload }) });
const serverWith = (extension: Extension) => new Connection({ role: 'server', extensions: [extension] });
const messages = (events: ConnectionEvent[]) => events.flatMap((e) => (e.type === 'message' ? [e.binary ? toHex(e.data) : decode(e.data)] : []));

describe('RFC 7692 §7.2.3 examples received by a client (pure codec)', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['§7.2.3.1 a compressed message', ['c1 07 f2 48 cd c9 c9 07 00'], ['Hello']],
    ['§7.2.3.1 a compressed, fragmented message', ['41 03 f2 48 cd', '80 04 c9 c9 07 00'], ['Hello']],
    ['§7.2.3.2 sharing the LZ77 window', ['c1 07 f2 48 cd c9 c9 07 00', 'c1 05 f2 00 11 00 00'], ['Hello', 'Hello']],
    ['§7.2.3.3 a block with no compression', ['c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00'], ['Hello']],
    ['§7.2.3.4 a block with BFINAL, then a new stream', ['c1 08 f3 48 cd c9 c9 07 00 00', 'c1 07 f2 48 cd c9 c9 07 00'], ['Hello', 'Hello']],
    ['§7.2.3.5 two blocks in one message', ['c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00'], ['Hello']],
    ['§7.2.3.6 an empty message', ['c1 01 00'], ['']],
    ['an uncompressed message between compressed ones', ['c1 07 f2 48 cd c9 c9 07 00', '81 02 68 69', 'c1 05 f2 00 11 00 00'], ['Hello', 'hi', 'Hello']],
  ];
  for (const [name, frames, expected] of cases) {
    it(`${name}: whole and byte by byte`, () => {
      const bytes = hex(frames.join(' '));
      expect(messages(feed(clientWith(negotiate({}, {}).client), bytes))).toEqual(expected);
      expect(messages(feedBytewise(clientWith(negotiate({}, {}).client), bytes))).toEqual(expected);
    });
  }

  it('§7.2.3.2 after server_no_context_takeover the back-reference is invalid: 1007', () => {
    const extension = negotiate({}, { serverNoContextTakeover: true }).client;
    const conn = clientWith(extension);
    const events = feed(conn, hex('c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00'));
    expect(messages(events)).toEqual(['Hello']);
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error instanceof ProtocolError && [error.error.code, error.error.closeCode]).toEqual(['WS_ERR_INVALID_COMPRESSED_DATA', 1007]);
    expect(sentCloseCode(conn)).toBe(1007);
  });

  it('corrupt data: 1007 WS_ERR_INVALID_COMPRESSED_DATA', () => {
    const conn = clientWith(negotiate({}, {}).client);
    const events = feed(conn, hex('c1 02 ff ff'));
    expect(events.map((e) => e.type)).toEqual(['error', 'close-transport']);
    expect(sentCloseCode(conn)).toBe(1007);
  });

  it('inflating past maxPayload: 1009, even though the frame itself is small', () => {
    // 64 KiB of zeros compresses to a few hundred bytes.
    const sender = serverWith(negotiate({}, {}).server);
    sender.send(new Uint8Array(65536));
    const wire = concat(...sender.takeOutput());
    expect(wire.length).toBeLessThan(1000);
    const conn = clientWith(negotiate({}, {}).client, 65535);
    const events = feed(conn, wire);
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error instanceof ProtocolError && [error.error.code, error.error.closeCode]).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 1009]);
    expect(sentCloseCode(conn)).toBe(1009);
    // At the limit exactly it is delivered.
    expect(feed(clientWith(negotiate({}, {}).client, 65536), wire).filter((e) => e.type === 'message')).toHaveLength(1);
  });
});

describe('sending (pure codec, server role: frames are unmasked)', () => {
  const sent = (conn: Connection) => takeFrames(conn).map(toHex);

  it('§7.2.3.1: "Hello" is c1 07 f2 48 cd c9 c9 07 00; with context takeover the second one is shorter', () => {
    const conn = serverWith(negotiate({}, {}).server);
    conn.send('Hello');
    conn.send('Hello');
    const [first, second] = sent(conn);
    expect(first).toBe('c1 07 f2 48 cd c9 c9 07 00');
    expect(hex(second!).length).toBeLessThan(9);
    expect(messages(feed(clientWith(negotiate({}, {}).client), hex(`${first} ${second}`)))).toEqual(['Hello', 'Hello']);
  });

  it('threshold (ws semantics): applies only without context takeover on our side', () => {
    const takeover = serverWith(negotiate({}, {}).server);
    takeover.send('Hello');
    expect(sent(takeover)[0]!.startsWith('c1')).toBe(true);
    const noTakeover = serverWith(negotiate({}, { serverNoContextTakeover: true }).server);
    noTakeover.send('Hello');
    noTakeover.send('x'.repeat(1023));
    noTakeover.send('x'.repeat(1024));
    expect(sent(noTakeover).map((f) => f.slice(0, 2))).toEqual(['81', '81', 'c1']);
    const custom = serverWith(negotiate({}, { serverNoContextTakeover: true, threshold: 5 }).server);
    custom.send('Hell');
    custom.send('Hello');
    expect(sent(custom).map((f) => f.slice(0, 2))).toEqual(['81', 'c1']);
  });

  it('compress: false sends without RSV1; binary messages are compressed too', () => {
    const conn = serverWith(negotiate({}, {}).server);
    conn.send('Hello', { compress: false });
    conn.send(Uint8Array.of(1, 2, 3));
    expect(sent(conn).map((f) => f.slice(0, 2))).toEqual(['81', 'c2']);
  });

  it('fragmented sends: RSV1 on the first frame only; fragmentSize splits compressed output', () => {
    const conn = new Connection({ role: 'server', extensions: [negotiate({}, {}).server], fragmentSize: 4 });
    conn.send('Hello Hello Hello', { fin: false });
    conn.send(' world');
    const frames = sent(conn);
    expect(frames.length).toBeGreaterThan(2);
    expect(frames[0]!.slice(0, 2)).toBe('41');
    expect(frames.slice(1, -1).every((f) => f.startsWith('00'))).toBe(true);
    expect(frames.at(-1)!.slice(0, 2)).toBe('80');
    expect(messages(feed(clientWith(negotiate({}, {}).client), hex(frames.join(' '))))).toEqual(['Hello Hello Hello world']);
  });
});

/** Wraps a codec so that every operation settles on a later macrotask, with varying delays. */
function asyncCodec(inner: DeflateCodec): DeflateCodec {
  let n = 0;
  const later = <T>(value: () => T): Promise<T> =>
    new Promise((resolve, reject) => setTimeout(() => {
      try {
        resolve(value());
      } catch (error) {
        reject(error);
      }
    }, n++ % 3));
  return {
    createCompressor(options) {
      const c = inner.createCompressor(options);
      return { compress: (data) => later(() => c.compress(data) as Uint8Array), reset: () => c.reset(), dispose: () => c.dispose() };
    },
    createDecompressor(options) {
      const d = inner.createDecompressor(options);
      return {
        decompress: (pieces, max) => {
          const copy = pieces.map((p) => p.slice());
          return later(() => d.decompress(copy, max) as Uint8Array | undefined);
        },
        reset: () => d.reset(),
        dispose: () => d.dispose(),
      };
    },
  };
}

/** Pumps a connection with an async codec until it has nothing more to give. */
async function pump(conn: Connection, wake: { promise: Promise<void> }): Promise<ConnectionEvent[]> {
  const events: ConnectionEvent[] = [];
  for (;;) {
    const event = conn.nextEvent();
    if (event === PENDING) {
      await wake.promise;
      continue;
    }
    if (event === NEED_DATA || typeof event === 'symbol') return events;
    events.push(event);
  }
}

function wakeable() {
  const wake = { promise: Promise.resolve(), resolve: () => {} };
  const arm = () => {
    wake.promise = new Promise<void>((resolve) => (wake.resolve = resolve));
  };
  arm();
  return { wake, onWake: () => { wake.resolve(); arm(); } };
}

describe('ordering with an asynchronous codec', () => {
  it('received messages, pings and pongs come out in wire order, and automatic pongs go out in order', async () => {
    const { wake, onWake } = wakeable();
    const ext = negotiate({}, {}, asyncCodec(pureDeflateCodec)).client;
    const conn = new Connection({ role: 'client', extensions: [ext], onWake });
    const wire = hex(
      [
        'c1 07 f2 48 cd c9 c9 07 00', // Hello (compressed)
        '89 01 31', // ping "1"
        '41 03 f2 48 cd', // fragmented compressed message...
        '8a 01 32', // pong "2" between fragments
        '80 04 c9 c9 07 00', // ...end
        '81 02 68 69', // "hi" uncompressed
        'c1 05 f2 00 11 00 00', // Hello (back-reference)
        '89 01 33', // ping "3"
      ].join(' '),
    );
    conn.receiveData(wire);
    const events = await pump(conn, wake);
    const summary = events.map((e) => (e.type === 'message' ? `message:${decode(e.data)}` : e.type === 'ping' || e.type === 'pong' ? `${e.type}:${decode(e.data)}` : e.type));
    expect(summary).toEqual(['message:Hello', 'ping:1', 'pong:2', 'message:Hello', 'message:hi', 'message:Hello', 'ping:3']);
    // The automatic pongs went out in order (masked client frames: opcode and length).
    const out = conn.takeOutput();
    expect(out.map((f) => f[0])).toEqual([0x8a, 0x8a]);
  });

  it('sends keep their order with pings queued between asynchronous compressions', async () => {
    const { wake, onWake } = wakeable();
    const ext = negotiate({}, {}, asyncCodec(pureDeflateCodec)).server;
    const conn = new Connection({ role: 'server', extensions: [ext], onWake });
    conn.send('one');
    conn.ping('p1');
    conn.send('two', { fin: false });
    conn.ping('p2');
    conn.send('three');
    conn.send('four', { compress: false });
    conn.close(1000);
    await pump(conn, wake);
    while (conn.nextEvent() === PENDING) await wake.promise;
    const out = takeFrames(conn);
    expect(out.map((f) => f[0]!.toString(16))).toEqual(['c1', '89', '41', '89', '80', '81', '88']);
    const received = feed(clientWith(negotiate({}, {}).client), concat(...out));
    expect(received.map((e) => (e.type === 'message' ? decode(e.data) : e.type))).toEqual(['one', 'ping', 'ping', 'twothree', 'four', 'close', 'start-close-timer']);
  });
});

describe('round trips client ⇄ server through Connections (property)', () => {
  const windowBits = fc.constantFrom(8, 9, 10, 11, 12, 13, 14, 15);
  const options = fc.record({
    serverNoContextTakeover: fc.boolean(),
    clientNoContextTakeover: fc.boolean(),
    serverMaxWindowBits: windowBits,
    clientMaxWindowBits: windowBits,
  });
  const message = fc.record({
    data: fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 2000 }).map((s) => text(s.repeat(3)))),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    compress: fc.boolean(),
  });

  function sendAll(conn: Connection, list: Array<{ data: Uint8Array; cuts: number[]; compress: boolean }>): void {
    for (const m of list) {
      const cuts = [...new Set(m.cuts.map((c) => c % (m.data.length + 1)))].sort((a, b) => a - b);
      let from = 0;
      for (const cut of cuts) {
        conn.send(m.data.subarray(from, cut), { binary: true, fin: false, compress: m.compress });
        from = cut;
      }
      conn.send(m.data.subarray(from), { binary: true, compress: m.compress });
    }
  }

  it('every window size, context takeover or not, fragmented or not: both directions deliver what was sent', () => {
    fc.assert(
      fc.property(options, fc.array(message, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (opts, list, piece) => {
        const { client, server } = negotiate({ ...opts, threshold: 0 }, { ...opts, threshold: 0 });
        const c = new Connection({ role: 'client', extensions: [client] });
        const s = new Connection({ role: 'server', extensions: [server] });
        sendAll(c, list);
        const wire = concat(...c.takeOutput());
        const atServer = feed(s, wire, Array(Math.ceil(wire.length / piece)).fill(piece));
        const expected = list.map((m) => toHex(m.data));
        expect(messages(atServer)).toEqual(expected);
        sendAll(s, list);
        expect(messages(drain(c).concat(feed(c, concat(...s.takeOutput()))))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
