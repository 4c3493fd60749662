import { describe, expect, it } from 'vitest';
import { Connection, type ConnectionEvent } from '../src/index.js';
import { Opcode } from '../src/frames.js';
import { clientFrame, concat, drain, feed, frame, sentCloseCode, server, client, text } from './helpers.js';

/**
 * The closing handshake (RFC 6455 §5.5.1, §7) between a real client and a real server
 * Connection: who sends what, who closes TCP, and what each side reports.
 */

/** Moves everything `from` wrote into `to`. */
function deliver(from: Connection, to: Connection): void {
  for (const chunk of from.takeOutput()) to.receiveData(chunk);
}

const types = (events: ConnectionEvent[]) => events.map((e) => e.type);

describe('close handshake: client initiates', () => {
  it('runs close → close echo → server closes TCP → both clean', () => {
    const c = client();
    const s = server();
    c.close(1000, 'bye');
    expect(c.readyState).toBe(2);
    expect(types(drain(c))).toEqual(['start-close-timer']);

    deliver(c, s);
    // §7.1.1: the server closes the TCP connection first, after echoing the close frame.
    expect(drain(s)).toEqual([{ type: 'close', code: 1000, reason: 'bye' }, { type: 'close-transport' }]);
    deliver(s, c);
    s.receiveData(null);
    expect(drain(s)).toEqual([{ type: 'closed', code: 1000, reason: 'bye', wasClean: true, error: undefined }]);

    // The client got the echo; it keeps waiting for the server's TCP close (its timer is running).
    // The echo carries the code and the reason back (as `ws` does and browsers report).
    expect(drain(c)).toEqual([{ type: 'close', code: 1000, reason: 'bye' }]);
    c.receiveData(null);
    expect(drain(c)).toEqual([{ type: 'closed', code: 1000, reason: 'bye', wasClean: true, error: undefined }]);
    expect(c.readyState).toBe(3);
  });

  it('keeps delivering messages that arrive after it sent close, until the peer closes (§7.1.2)', () => {
    const c = client();
    c.close(1000);
    drain(c);
    const events = feed(c, concat(frame(Opcode.TEXT, 'late'), frame(Opcode.CLOSE, new Uint8Array([0x03, 0xe8]))));
    expect(types(events)).toEqual(['message', 'close']);
  });

  it('ignores anything after the peer close frame (§5.5.1)', () => {
    const s = server();
    const events = feed(s, concat(clientFrame(Opcode.CLOSE, new Uint8Array([0x03, 0xe8])), clientFrame(Opcode.TEXT, 'after')));
    expect(types(events)).toEqual(['close', 'close-transport']);
  });
});

describe('close handshake: server initiates', () => {
  it('server close → client echoes → server closes TCP', () => {
    const c = client();
    const s = server();
    s.close(4000, 'server says bye');
    expect(types(drain(s))).toEqual(['start-close-timer']);
    deliver(s, c);
    // The client answers and then waits for the server to close TCP (§7.1.1).
    expect(drain(c)).toEqual([{ type: 'close', code: 4000, reason: 'server says bye' }, { type: 'start-close-timer' }]);
    deliver(c, s);
    expect(drain(s)).toEqual([{ type: 'close', code: 4000, reason: 'server says bye' }, { type: 'close-transport' }]);
    s.receiveData(null);
    c.receiveData(null);
    expect(drain(s)).toMatchObject([{ type: 'closed', code: 4000, wasClean: true }]);
    expect(drain(c)).toMatchObject([{ type: 'closed', code: 4000, reason: 'server says bye', wasClean: true }]);
  });
});

describe('close handshake: simultaneous close', () => {
  it('both send close before receiving the other: neither echoes again, both clean', () => {
    const c = client();
    const s = server();
    c.close(1000, 'c');
    s.close(1001, 's');
    drain(c);
    drain(s);
    deliver(c, s);
    deliver(s, c);
    expect(drain(s)).toEqual([{ type: 'close', code: 1000, reason: 'c' }, { type: 'close-transport' }]);
    expect(drain(c)).toEqual([{ type: 'close', code: 1001, reason: 's' }]);
    // No second close frame was written by either side.
    expect(s.takeOutput()).toEqual([]);
    expect(c.takeOutput()).toEqual([]);
    s.receiveData(null);
    c.receiveData(null);
    expect(drain(s)).toMatchObject([{ type: 'closed', code: 1000, wasClean: true }]);
    expect(drain(c)).toMatchObject([{ type: 'closed', code: 1001, wasClean: true }]);
  });
});

describe('close handshake: abnormal endings', () => {
  it('a transport lost without any close frame reports 1006, not clean', () => {
    const s = server();
    feed(s, clientFrame(Opcode.TEXT, 'hi'));
    s.receiveData(null);
    expect(drain(s)).toEqual([{ type: 'closed', code: 1006, reason: '', wasClean: false, error: undefined }]);
  });

  it('a transport lost after we sent close but before the reply is 1006, not clean (close timeout path)', () => {
    const c = client();
    c.close(1000);
    drain(c);
    c.receiveData(null); // the adapter's close timer fired and destroyed the socket
    expect(drain(c)).toMatchObject([{ type: 'closed', code: 1006, wasClean: false }]);
  });

  it('bytes already received are processed before the transport end is reported', () => {
    const s = server();
    s.receiveData(clientFrame(Opcode.TEXT, 'last words'));
    s.receiveData(null);
    expect(types(drain(s))).toEqual(['message', 'closed']);
  });

  it('a failed connection reports the error in `closed` and is not clean', () => {
    const s = server();
    const events = feed(s, clientFrame(Opcode.CONTINUATION, 'x'));
    expect(types(events)).toEqual(['error', 'close-transport']);
    s.receiveData(null);
    const [closed] = drain(s);
    expect(closed).toMatchObject({ type: 'closed', code: 1006, wasClean: false, error: { code: 'WS_ERR_UNEXPECTED_CONTINUATION' } });
  });

  it('latches after a failure: later input produces no further events', () => {
    const s = server();
    feed(s, clientFrame(Opcode.CONTINUATION, 'x'));
    s.takeOutput();
    const events = feed(s, concat(clientFrame(Opcode.TEXT, 'ignored'), clientFrame(Opcode.PING, 'ignored')));
    expect(events).toEqual([]);
    expect(s.takeOutput()).toEqual([]);
  });

  it('the closed event is the last: nextEvent reports DONE afterwards', async () => {
    const { DONE } = await import('../src/index.js');
    const s = server();
    s.receiveData(null);
    drain(s);
    expect(s.nextEvent()).toBe(DONE);
    s.receiveData(text('anything'));
    expect(s.nextEvent()).toBe(DONE);
  });
});

describe('close handshake: local misuse throws typed errors', () => {
  it('sending after close throws InvalidStateError naming role, state and action', () => {
    const c = client();
    c.close();
    expect(() => c.send('x')).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_STATE', role: 'client', action: 'send a message' }));
    expect(() => c.ping()).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_STATE' }));
  });

  it('a second close() does nothing', () => {
    const c = client();
    c.close(1000);
    const first = c.takeOutput();
    c.close(1001);
    expect(first).toHaveLength(1);
    expect(c.takeOutput()).toEqual([]);
  });

  it('close codes that may not be sent and over-long reasons throw InvalidArgumentError', () => {
    for (const code of [999, 1004, 1005, 1006, 1015, 2000, 5000]) {
      expect(() => client().close(code)).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_ARGUMENT' }));
    }
    expect(() => client().close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_ARGUMENT' }));
    const ok = server();
    ok.close(1000, 'x'.repeat(123));
    expect(sentCloseCode(ok)).toBe(1000);
  });

  it('a control payload over 125 bytes throws InvalidArgumentError', () => {
    expect(() => client().ping(new Uint8Array(126))).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_ARGUMENT' }));
    expect(() => client().pong('x'.repeat(126))).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_ARGUMENT' }));
  });

  it('a ping received after we sent close is reported but not answered (§5.5.1)', () => {
    const s = server();
    s.close(1000);
    s.takeOutput();
    drain(s);
    const events = feed(s, clientFrame(Opcode.PING, 'p'));
    expect(types(events)).toEqual(['ping']);
    expect(s.takeOutput()).toEqual([]);
  });
});
