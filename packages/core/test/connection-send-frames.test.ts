import { describe, expect, it } from 'vitest';
import { Opcode, encodeFrame } from '../src/frames.js';
import type { Extension } from '../src/index.js';
import { concat, decode, server, wireFrames } from './helpers.js';

/** An extension whose encoder answers when the test says so (like an asynchronous zlib). */
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
const prebuilt = (text: string) => encodeFrame(Opcode.TEXT, new TextEncoder().encode(text), { fin: true, rsv: 0, maskKey: undefined });
const payloads = (chunks: Uint8Array[]) => wireFrames(concat(...chunks)).map((frame) => decode(frame.payload));

/**
 * `Connection.sendFrames`: frames built once elsewhere (a topic publish) keep their place among
 * the connection's own sends; the bytes are written as they are, never copied per connection.
 */
describe('sendFrames', () => {
  it('writes the same arrays, in order with send()', () => {
    const s = server();
    const shared = prebuilt('shared');
    s.send('a');
    s.sendFrames(shared);
    s.send('b');
    const out = s.takeOutput();
    expect(out).toContain(shared[0]);
    expect(payloads(out)).toEqual(['a', 'shared', 'b']);
  });

  it('waits for the last fragment of an open message', () => {
    const s = server();
    s.send('x1', { fin: false });
    s.sendFrames(prebuilt('shared'));
    s.send('x2', { fin: true });
    expect(payloads(s.takeOutput())).toEqual(['x1', 'x2', 'shared']);
  });

  it('waits behind an asynchronous encode, and counts in outputBytes meanwhile', async () => {
    const slow = slowEncoder();
    const s = server({ extensions: [slow] });
    s.send('compressed');
    const shared = prebuilt('shared');
    s.sendFrames(shared);
    expect(s.takeOutput()).toEqual([]);
    expect(s.outputBytes).toBe('compressed'.length + shared[0]!.length);
    slow.finish();
    await settle();
    expect(payloads(s.takeOutput())).toEqual(['compressed', 'shared']);
    expect(s.outputBytes).toBe(0);
  });

  it('is API misuse once the connection is closing', () => {
    const s = server();
    s.close(1000);
    expect(() => s.sendFrames(prebuilt('late'))).toThrow(/send a message/);
  });
});
