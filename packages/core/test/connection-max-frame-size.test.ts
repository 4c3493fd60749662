/**
 * `maxFrameSize`: a per-frame limit (WebSocket-Node's `maxReceivedFrameSize`), checked from the
 * header before any payload is read, and `frameEnd` on fragment events, which tells where a
 * wire frame ends when its payload arrives in several pieces.
 */
import { describe, expect, it } from 'vitest';
import { Opcode } from '../src/frames.js';
import { clientFrame, concat, drain, feed, server } from './helpers.js';

describe('maxFrameSize', () => {
  it('accepts frames up to the limit, across a message of several of them', () => {
    const s = server({ maxFrameSize: 4 });
    const events = feed(s, concat(clientFrame(Opcode.TEXT, 'abcd', { fin: false }), clientFrame(Opcode.CONTINUATION, 'efgh')));
    expect(events).toMatchObject([{ type: 'message', binary: false }]);
  });

  it('closes with 1009 from the header of a bigger frame, before its payload arrives', () => {
    const s = server({ maxFrameSize: 4 });
    const whole = clientFrame(Opcode.BINARY, new Uint8Array(5));
    // Header and mask key only (2 + 4 bytes): the payload never needs to arrive.
    const events = feed(s, whole.slice(0, 6));
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 } });
    expect(events[1]).toEqual({ type: 'close-transport' });
  });

  it('0 means no per-frame limit (the default)', () => {
    const s = server({ maxFrameSize: 0 });
    expect(feed(s, clientFrame(Opcode.BINARY, new Uint8Array(100_000)))).toMatchObject([{ type: 'message' }]);
  });
});

describe('fragment events mark the end of each wire frame', () => {
  it('frameEnd is false for the early pieces of a frame and true for its last', () => {
    const s = server({ deliverFragments: true });
    const first = clientFrame(Opcode.BINARY, new Uint8Array(1000), { fin: false });
    const second = clientFrame(Opcode.CONTINUATION, new Uint8Array(10));
    s.receiveData(first.slice(0, 500));
    expect(drain(s)).toMatchObject([{ type: 'fragment', first: true, fin: false, frameEnd: false }]);
    s.receiveData(concat(first.slice(500), second));
    expect(drain(s)).toMatchObject([
      { type: 'fragment', first: false, fin: false, frameEnd: true },
      { type: 'fragment', first: false, fin: true, frameEnd: true },
    ]);
  });
});
