import { describe, expect, it } from 'vitest';
import { Connection, PENDING, type ConnectionEvent, type Extension } from '../src/index.js';
import { Opcode } from '../src/frames.js';
import { clientFrame, concat, decode, drain, feed, server, client, text, wireFrames } from './helpers.js';

/** Data messages, ping/pong and extensions between a real client and server Connection. */

function deliver(from: Connection, to: Connection): ConnectionEvent[] {
  for (const chunk of from.takeOutput()) to.receiveData(chunk);
  return drain(to);
}

/** Every frame the connection wrote as [opcode, fin, rsv, payload length] rows. */
function framesOf(output: Uint8Array[]): Array<[number, boolean, number, number]> {
  return wireFrames(concat(...output)).map((frame) => [frame.opcode, frame.fin, frame.rsv, frame.payload.length]);
}

describe('messages: sending and receiving', () => {
  it('text, binary, empty and large messages cross from client to server and back', () => {
    const c = client();
    const s = server();
    const big = new Uint8Array(70_000).map((_, i) => i & 255);
    c.send('héllo');
    c.send(new Uint8Array([1, 2, 3]));
    c.send('');
    c.send(new Uint8Array(0));
    c.send(big);
    c.send('as binary', { binary: true });
    const got = deliver(c, s);
    expect(got.map((e) => (e.type === 'message' ? [e.binary, e.data.length] : e.type))).toEqual([
      [false, 6],
      [true, 3],
      [false, 0],
      [true, 0],
      [true, 70_000],
      [true, 9],
    ]);
    expect(decode((got[0] as { data: Uint8Array }).data)).toBe('héllo');
    expect((got[4] as { data: Uint8Array }).data).toEqual(big);

    s.send('reply');
    expect(deliver(s, c)).toMatchObject([{ type: 'message', binary: false }]);
  });

  it('does not modify the caller’s payload when masking', () => {
    const c = client();
    const payload = new Uint8Array([10, 20, 30, 40, 50]);
    c.send(payload);
    c.takeOutput();
    expect(payload).toEqual(new Uint8Array([10, 20, 30, 40, 50]));
  });

  it('sends a message in pieces with fin:false, using continuation opcodes (§5.4)', () => {
    const c = client();
    c.send('Hel', { fin: false });
    c.send('lo', { fin: false });
    c.send('!', { fin: true });
    const out = c.takeOutput();
    expect(framesOf(out)).toEqual([
      [Opcode.TEXT, false, 0, 3],
      [Opcode.CONTINUATION, false, 0, 2],
      [Opcode.CONTINUATION, true, 0, 1],
    ]);
    const s = server();
    for (const chunk of out) s.receiveData(chunk);
    expect(drain(s).map((e) => e.type === 'message' && decode(e.data))).toEqual(['Hello!']);
  });

  it('splits outgoing payloads by fragmentSize', () => {
    const s = server({ fragmentSize: 4 });
    s.send('abcdefghij');
    expect(framesOf(s.takeOutput())).toEqual([
      [Opcode.TEXT, false, 0, 4],
      [Opcode.CONTINUATION, false, 0, 4],
      [Opcode.CONTINUATION, true, 0, 2],
    ]);
    expect(() => server({ fragmentSize: 0 })).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_ARGUMENT' }));
  });

  it('delivers fragments as they arrive with deliverFragments', () => {
    const s = server({ deliverFragments: true });
    const events = feed(s, concat(clientFrame(Opcode.BINARY, 'ab', { fin: false }), clientFrame(Opcode.CONTINUATION, 'cd')));
    expect(events.map((e) => (e.type === 'fragment' ? [decode(e.data), e.first, e.fin, e.binary] : e.type))).toEqual([
      ['ab', true, false, true],
      ['cd', false, true, true],
    ]);
  });

  it('delivers each arriving piece of a large frame as a fragment before the frame is complete', () => {
    const s = server({ deliverFragments: true });
    const whole = clientFrame(Opcode.BINARY, new Uint8Array(1000).fill(9));
    s.receiveData(whole.slice(0, 500));
    const early = drain(s);
    expect(early).toHaveLength(1);
    expect(early[0]).toMatchObject({ type: 'fragment', first: true, fin: false });
    s.receiveData(whole.slice(500));
    expect(drain(s)).toMatchObject([{ type: 'fragment', first: false, fin: true }]);
  });
});

describe('ping and pong', () => {
  it('answers a ping with a pong carrying the same payload, and reports both', () => {
    const c = client();
    const s = server();
    c.ping('hb-1');
    expect(deliver(c, s)).toMatchObject([{ type: 'ping' }]);
    const got = deliver(s, c);
    expect(got).toHaveLength(1);
    expect(got[0]!.type).toBe('pong');
    expect(decode((got[0] as { data: Uint8Array }).data)).toBe('hb-1');
  });

  it('with autoPong: false it reports the ping and writes nothing', () => {
    const s = server({ autoPong: false });
    expect(feed(s, clientFrame(Opcode.PING, 'x')).map((e) => e.type)).toEqual(['ping']);
    expect(s.takeOutput()).toEqual([]);
  });

  it('an unsolicited pong is reported, and one can be sent', () => {
    const s = server();
    expect(feed(s, clientFrame(Opcode.PONG, 'beat'))).toMatchObject([{ type: 'pong' }]);
    s.pong('beat back');
    expect(framesOf(s.takeOutput())).toEqual([[Opcode.PONG, true, 0, 9]]);
  });

  it('a control frame queued behind a fragmented send goes out between its fragments (§5.4)', () => {
    const s = server();
    s.send('a', { fin: false });
    s.ping();
    s.send('b');
    expect(framesOf(s.takeOutput()).map((r) => r[0])).toEqual([Opcode.TEXT, Opcode.PING, Opcode.CONTINUATION]);
  });
});

/** An extension whose codec answers later, like node:zlib: upper-cases text in and out. */
function asyncUpper(): Extension & { pending: Array<() => void> } {
  const pending: Array<() => void> = [];
  const later = <T>(value: T) => new Promise<T>((resolve) => pending.push(() => resolve(value)));
  return {
    pending,
    name: 'x-upper',
    rsvMask: 0x40,
    decode: (payload) => later(text(decode(payload).toUpperCase())),
    encode: (payload) => later(text(decode(payload).toUpperCase())),
    rsvFor: (_first, _fin, requested) => (requested ? 0x40 : 0),
  };
}

async function settle(ext: { pending: Array<() => void> }): Promise<void> {
  while (ext.pending.length > 0) {
    ext.pending.shift()!();
    await Promise.resolve();
    await Promise.resolve();
  }
}

describe('extensions: asynchronous codecs keep protocol order', () => {
  it('inbound: a ping after a transformed message waits for the message', async () => {
    const ext = asyncUpper();
    let woken = 0;
    const s = server({ extensions: [ext], onWake: () => woken++ });
    s.receiveData(concat(clientFrame(Opcode.TEXT, 'first', { rsv: 0x40 }), clientFrame(Opcode.PING, 'p'), clientFrame(Opcode.TEXT, 'plain')));
    expect(s.nextEvent()).toBe(PENDING);
    await settle(ext);
    expect(woken).toBeGreaterThan(0);
    const events = drain(s);
    expect(events.map((e) => (e.type === 'message' ? decode(e.data) : e.type))).toEqual(['FIRST', 'ping', 'plain']);
  });

  it('outbound: frames leave in send order even when the first message is still encoding', async () => {
    const ext = asyncUpper();
    const c = client({ extensions: [ext] });
    c.send('one');
    c.ping('p');
    c.send('two', { compress: false });
    expect(c.takeOutput()).toEqual([]);
    await settle(ext);
    const s = server({ extensions: [{ ...asyncUpper(), decode: (p: Uint8Array) => p }] });
    const events = deliver(c, s);
    expect(events.map((e) => (e.type === 'message' ? decode(e.data) : e.type))).toEqual(['ONE', 'ping', 'two']);
  });

  it('a codec failure fails the connection with 1011', async () => {
    const failing: Extension = {
      name: 'x-broken',
      rsvMask: 0x40,
      decode: () => Promise.reject(new Error('inflate exploded')),
      encode: (p) => p,
      rsvFor: () => 0,
    };
    const s = server({ extensions: [failing] });
    s.receiveData(clientFrame(Opcode.BINARY, 'x', { rsv: 0x40 }));
    expect(s.nextEvent()).toBe(PENDING);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const events = drain(s);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_EXTENSION_FAILED', closeCode: 1011 } });
  });

  it('decoded output beyond maxPayload fails with 1009 even if the extension ignores its budget', () => {
    const careless: Extension = {
      name: 'x-careless',
      rsvMask: 0x40,
      decode: () => new Uint8Array(50),
      encode: (p) => p,
      rsvFor: () => 0,
    };
    const s = server({ extensions: [careless], maxPayload: 20 });
    const events = feed(s, clientFrame(Opcode.BINARY, 'tiny', { rsv: 0x40 }));
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 } });
  });
});

describe('extensions: the transport closes only after queued output', () => {
  it('holds close-transport back while an encode is in flight, then writes the close frame first', async () => {
    const ext = asyncUpper();
    const s = server({ extensions: [ext] });
    s.send('compressed reply');
    expect(s.isSending).toBe(true);
    // The peer closes while our reply is still encoding.
    s.receiveData(clientFrame(Opcode.CLOSE, new Uint8Array([0x03, 0xe8])));
    expect(s.nextEvent()).toMatchObject({ type: 'close', code: 1000 });
    expect(s.nextEvent()).toBe(PENDING);
    expect(s.takeOutput()).toEqual([]);
    await settle(ext);
    expect(s.isSending).toBe(false);
    const out = s.takeOutput();
    expect(out.map((chunk) => chunk[0]! & 0x0f)).toEqual([Opcode.TEXT, Opcode.CLOSE]);
    expect(s.nextEvent()).toEqual({ type: 'close-transport' });
  });
});

describe('nativeMask: an injected XOR for long payloads', () => {
  it('is used for long payloads both ways, with key offsets when payload arrives in pieces', () => {
    let calls = 0;
    const nativeMask = (source: Uint8Array, key: Uint8Array, target: Uint8Array, offset: number, length: number) => {
      calls++;
      for (let i = 0; i < length; i++) target[offset + i] = source[i]! ^ key[i & 3]!;
    };
    const c = client({ nativeMask });
    const s = server({ nativeMask });
    const payload = new Uint8Array(5000).map((_, i) => (i * 31) & 255);
    c.send(payload);
    const wire = concat(...c.takeOutput());
    expect(calls).toBe(1);
    // Feed the frame in odd-sized pieces: each piece is unmasked from its own key position.
    const events = feed(s, wire, [1501, 1502, 1503]);
    expect(events).toHaveLength(1);
    expect((events[0] as { data: Uint8Array }).data).toEqual(payload);
    expect(calls).toBeGreaterThan(1);
    // Short payloads keep the core's own loop.
    const before = calls;
    c.send('short');
    expect(deliver(c, s).map((e) => e.type === 'message' && decode(e.data))).toEqual(['short']);
    expect(calls).toBe(before);
  });
});

describe('nativeUtf8Check: an injected whole-buffer UTF-8 check', () => {
  const counting = () => {
    const seen: string[] = [];
    const check = (bytes: Uint8Array) => {
      seen.push(decode(bytes));
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    return { seen, check };
  };

  it('checks single-piece text messages natively and fragmented ones with the streaming validator', () => {
    const { seen, check } = counting();
    const s = server({ nativeUtf8Check: check });
    const events = feed(s, concat(clientFrame(Opcode.TEXT, 'whole'), clientFrame(Opcode.TEXT, 'fr', { fin: false }), clientFrame(Opcode.CONTINUATION, 'ag')));
    expect(events.map((e) => e.type === 'message' && decode(e.data))).toEqual(['whole', 'frag']);
    expect(seen).toEqual(['whole']);
  });

  it('a native verdict of invalid fails the connection with 1007', () => {
    const s = server({ nativeUtf8Check: () => false });
    const events = feed(s, clientFrame(Opcode.TEXT, 'rejected'));
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 } });
  });
});
