import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type WebSocketError } from '../src/index.js';
import { harness } from './driver-fakes.js';

/** A callback that records what it was called with, as strings. */
function recorder(log: string[], name: string): (error: WebSocketError | null) => void {
  return (error) => log.push(error === null ? `${name} answered` : `${name} ${error.code}`);
}

describe('driver pingAndWait: a ping answered by the pong with the same payload (RFC 6455 §5.5.3)', () => {
  it('a pong with another payload answers nothing', () => {
    const h = harness('client');
    const log: string[] = [];
    h.driver.pingAndWait('a', recorder(log, 'a'));
    h.driver.pingAndWait(Uint8Array.of(0, 255, 7), recorder(log, 'bytes'));
    // The peer has not read our pings yet; it sends pongs of its own (heartbeats, §5.5.3).
    h.peer.pong('other');
    h.peer.pong('');
    h.peer.pong(Uint8Array.of(0, 255));
    h.deliverFromPeer();
    expect(log).toEqual([]);
    expect(h.events.log).toHaveLength(3);
  });

  it('the automatic pongs of the peer answer them, in order, each once', () => {
    const h = harness('server');
    const log: string[] = [];
    h.driver.pingAndWait('a', recorder(log, 'a'));
    h.driver.pingAndWait(Uint8Array.of(0, 255, 7), recorder(log, 'bytes'));
    h.deliverToPeer();
    h.deliverFromPeer();
    expect(log).toEqual(['a answered', 'bytes answered']);
    // A second pong with the same payload answers nothing more.
    h.peer.pong('a');
    h.deliverFromPeer();
    expect(log).toEqual(['a answered', 'bytes answered']);
    expect(h.events.log).toEqual(['pong a', `pong ${new TextDecoder().decode(Uint8Array.of(0, 255, 7))}`, 'pong a']);
  });

  it('one pong answers every wait for its payload; with replace, only the latest', () => {
    const h = harness('client');
    const log: string[] = [];
    h.driver.pingAndWait('x', recorder(log, 'first'));
    h.driver.pingAndWait('x', recorder(log, 'second'));
    h.peer.pong('x');
    h.deliverFromPeer();
    expect(log).toEqual(['first answered', 'second answered']);
    log.length = 0;
    h.driver.pingAndWait('y', recorder(log, 'old'), { replace: true });
    h.driver.pingAndWait('y', recorder(log, 'new'), { replace: true });
    h.peer.pong('y');
    h.deliverFromPeer();
    expect(log).toEqual(['new answered']);
  });

  it('fails with WS_ERR_PONG_TIMEOUT after the timeout, and a late pong then answers nothing', () => {
    const h = harness('client');
    const log: string[] = [];
    h.driver.pingAndWait('t', recorder(log, 't'), { timeout: 200 });
    h.clock.advance(199);
    expect(log).toEqual([]);
    h.clock.advance(1);
    expect(log).toEqual(['t WS_ERR_PONG_TIMEOUT']);
    h.deliverToPeer();
    h.deliverFromPeer();
    expect(log).toEqual(['t WS_ERR_PONG_TIMEOUT']);
    expect(h.clock.activeTimers).toBe(0);
  });

  it('an answered wait leaves no timer behind', () => {
    const h = harness('server');
    const log: string[] = [];
    h.driver.pingAndWait('t', recorder(log, 't'), { timeout: 200 });
    expect(h.clock.activeTimers).toBe(1);
    h.deliverToPeer();
    h.deliverFromPeer();
    expect(log).toEqual(['t answered']);
    expect(h.clock.activeTimers).toBe(0);
  });

  it('fails every wait with WS_ERR_CLOSED when the connection closes first', () => {
    const h = harness('server');
    const log: string[] = [];
    h.driver.pingAndWait('1', recorder(log, 'one'), { timeout: 10_000 });
    h.driver.pingAndWait('2', recorder(log, 'two'));
    h.driver.terminate();
    h.driver.transportClosed();
    expect(log).toEqual(['one WS_ERR_CLOSED', 'two WS_ERR_CLOSED']);
    expect(h.clock.activeTimers).toBe(0);
  });

  it('past maxPongWaiters the oldest wait fails with WS_ERR_TOO_MANY_PINGS (a peer that never answers costs bounded memory)', () => {
    const h = harness('client', { maxPongWaiters: 3 });
    const log: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) h.driver.pingAndWait(name, recorder(log, name), { timeout: 1000 });
    expect(log).toEqual(['a WS_ERR_TOO_MANY_PINGS', 'b WS_ERR_TOO_MANY_PINGS']);
    // Their timers went with them: three left, for the three still waiting.
    expect(h.clock.activeTimers).toBe(3);
    h.deliverToPeer();
    h.deliverFromPeer();
    expect(log.slice(2)).toEqual(['c answered', 'd answered', 'e answered']);
    expect(h.clock.activeTimers).toBe(0);
  });

  it('a payload over 125 bytes throws (§5.5) and waits for nothing', () => {
    const h = harness('client');
    const log: string[] = [];
    expect(() => h.driver.pingAndWait('x'.repeat(126), recorder(log, 'big'))).toThrow(InvalidArgumentError);
    h.driver.terminate();
    h.driver.transportClosed();
    expect(log).toEqual([]);
  });
});
