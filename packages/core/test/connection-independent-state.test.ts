import { describe, expect, it } from 'vitest';
import { NEED_DATA } from '../src/index.js';
import { Opcode } from '../src/frames.js';
import { bytes, clientFrame, concat, decode, drain, feed, server, text } from './helpers.js';

/**
 * Idle connections share empty stand-ins for their lists (events, output, received chunks,
 * message pieces) instead of holding their own. What a user sees must not change: every list
 * handed out is the caller's own, and no state crosses from one connection (or message) to another.
 */
describe('connections keep their state to themselves', () => {
  it('takeOutput with nothing pending returns a list the caller owns', () => {
    const a = server();
    const b = server();
    const empty = a.takeOutput();
    expect(empty).toEqual([]);
    empty.push(bytes(1, 2, 3));
    expect(a.takeOutput()).toEqual([]);
    expect(b.takeOutput()).toEqual([]);
    expect(a.outputBytes).toBe(0);
    a.send('hi');
    const out = a.takeOutput();
    expect(out.map((c) => [...c]).flat()).toEqual([0x81, 0x02, 0x68, 0x69]);
    out.push(bytes(9));
    expect(a.takeOutput()).toEqual([]);
    expect(b.takeOutput()).toEqual([]);
  });

  it('several events from one read come out in order, and the queue works again afterwards', () => {
    const conn = server({ autoPong: false });
    conn.receiveData(concat(clientFrame(Opcode.TEXT, 'one'), clientFrame(Opcode.PING, 'p'), clientFrame(Opcode.BINARY, bytes(2))));
    const first = drain(conn);
    expect(first.map((e) => e.type)).toEqual(['message', 'ping', 'message']);
    expect(conn.nextEvent()).toBe(NEED_DATA);
    const again = feed(conn, clientFrame(Opcode.TEXT, 'two'));
    expect(again).toHaveLength(1);
    expect(again[0]?.type === 'message' && decode(again[0].data)).toBe('two');
  });

  it('messages in pieces on two connections, interleaved, are each joined from their own pieces', () => {
    const a = server();
    const b = server();
    const got: string[] = [];
    const take = (events: ReturnType<typeof drain>) => {
      for (const e of events) if (e.type === 'message') got.push(decode(e.data));
    };
    // "é" (C3 A9) split across fragments on both connections: the UTF-8 state must be per connection.
    take(feed(a, clientFrame(Opcode.TEXT, bytes(0x61, 0xc3), { fin: false })));
    take(feed(b, clientFrame(Opcode.TEXT, bytes(0x62, 0xc3), { fin: false })));
    take(feed(a, clientFrame(Opcode.CONTINUATION, bytes(0xa9, 0x31))));
    take(feed(b, clientFrame(Opcode.CONTINUATION, bytes(0xa9, 0x32))));
    // The next message on each starts afresh: neither old pieces nor a pending code point carry over.
    take(feed(a, clientFrame(Opcode.TEXT, 'A')));
    take(feed(b, clientFrame(Opcode.TEXT, text('B'))));
    expect(got).toEqual(['aé1', 'bé2', 'A', 'B']);
  });

  it('a text message that ends inside a code point fails only its own connection (1007)', () => {
    const bad = server();
    const good = server();
    feed(good, clientFrame(Opcode.TEXT, bytes(0xe2, 0x82), { fin: false }));
    const failed = feed(bad, clientFrame(Opcode.TEXT, bytes(0xe2, 0x82)));
    expect(failed.map((e) => e.type)).toEqual(['error', 'close-transport']);
    const completed = feed(good, clientFrame(Opcode.CONTINUATION, bytes(0xac)));
    expect(completed.map((e) => e.type === 'message' && decode(e.data))).toEqual(['€']);
  });
});
