import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/index.js';
import { type Clock, Driver } from '../src/driver/index.js';
import { FakeClock, FakeTransport, RecordingEvents, harness } from './driver-fakes.js';

/** Pings the peer has received so far (the bare peer Connection answers each with a pong). */
function pingsSeen(seen: string[]): number {
  return seen.filter((event) => event === 'ping').length;
}

describe('driver keep-alive: pings a silent peer (RFC 6455 §5.5.2), drops one that stays silent', () => {
  it('pings after `interval` ms of silence, not before, and each answered ping keeps the connection', () => {
    const h = harness('server', { keepAlive: { interval: 1000, timeout: 500 } });
    h.clock.advance(999);
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    h.clock.advance(1);
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
    // The peer's pong arrives within the grace period: no drop; the next ping follows a whole
    // interval of silence after that pong.
    h.clock.advance(100);
    h.deliverFromPeer();
    h.clock.advance(400);
    expect(h.transport.destroyed).toBe(false);
    h.clock.advance(599);
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    h.clock.advance(1);
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
    expect(h.driver.isOpen).toBe(true);
  });

  it('with a timeout longer than the interval, the next ping still follows the answer by one interval', () => {
    const h = harness('server', { keepAlive: { interval: 100, timeout: 10_000 } });
    h.clock.advance(100);
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
    h.clock.advance(10);
    h.deliverFromPeer(); // the pong, at 110
    h.clock.advance(90); // 200: a check, not a ping
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    h.clock.advance(9);
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    h.clock.advance(1); // 210: one interval after the pong
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
  });

  it('a silent peer is dropped when the timeout is due, checked in steps of the interval', () => {
    const h = harness('server', { keepAlive: { interval: 100, timeout: 250 } });
    h.clock.advance(100);
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
    h.clock.advance(100);
    h.clock.advance(100);
    // 300: silent for 200 ms since the ping, no second ping while one is awaited.
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    expect(h.transport.destroyed).toBe(false);
    h.clock.advance(49);
    expect(h.transport.destroyed).toBe(false);
    h.clock.advance(1);
    expect(h.transport.destroyed).toBe(true);
  });

  it('drops a peer that sends nothing for `timeout` ms after the ping: onKeepAliveTimeout, then 1006', () => {
    const h = harness('client', { keepAlive: { interval: 1000, timeout: 300 } });
    let timedOut = 0;
    Object.assign(h.events, { onKeepAliveTimeout: () => timedOut++ });
    h.clock.advance(1000);
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
    h.clock.advance(299);
    expect(h.transport.destroyed).toBe(false);
    h.clock.advance(1);
    expect(timedOut).toBe(1);
    expect(h.transport.destroyed).toBe(true);
    h.driver.transportClosed();
    expect(h.events.closed?.code).toBe(1006);
    expect(h.clock.activeTimers).toBe(0);
  });

  it('counts any byte as life, not only the pong: a peer busy sending is never pinged', () => {
    const h = harness('server', { keepAlive: { interval: 1000, timeout: 300 } });
    for (let i = 0; i < 50; i++) {
      h.peer.send(`message ${i}`);
      h.deliverFromPeer();
      h.clock.advance(900);
    }
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    expect(h.events.messages).toHaveLength(50);
    expect(h.transport.destroyed).toBe(false);
  });

  it('costs no timer call per read: one timer for any number of reads', () => {
    const clock = new FakeClock();
    let timersSet = 0;
    const setTimer = clock.setTimer.bind(clock);
    clock.setTimer = (delay, callback) => {
      timersSet++;
      return setTimer(delay, callback);
    };
    const h = { transport: new FakeTransport(), events: new RecordingEvents() };
    const driver = new Driver({ connection: { role: 'server' }, transport: h.transport, clock, events: h.events, keepAlive: { interval: 1000 } });
    expect(timersSet).toBe(1);
    const pong = Uint8Array.of(0x8a, 0x80, 1, 2, 3, 4); // a masked, empty client pong
    for (let i = 0; i < 1000; i++) driver.receive(pong.slice());
    expect(h.events.log).toHaveLength(1000);
    expect(timersSet).toBe(1);
  });

  it('without a timeout never drops: keeps pinging every interval of silence', () => {
    const h = harness('server', { keepAlive: { interval: 100 } });
    for (let i = 0; i < 10; i++) h.clock.advance(100);
    // Nothing answered (the pongs are never delivered): ten intervals, ten pings, still open.
    expect(pingsSeen(h.deliverToPeer())).toBe(10);
    expect(h.transport.destroyed).toBe(false);
  });

  it('whenIdle: false pings every interval whatever the traffic, with the given payloads (faye)', () => {
    let id = 0;
    const h = harness('client', { keepAlive: { interval: 100, whenIdle: false, payload: () => String(++id) } });
    const payloads: string[] = [];
    h.events.onPong = (data) => payloads.push(new TextDecoder().decode(data));
    for (let i = 0; i < 5; i++) {
      h.peer.send('busy');
      h.deliverFromPeer();
      h.clock.advance(100);
      h.deliverToPeer();
      h.deliverFromPeer();
    }
    expect(payloads).toEqual(['1', '2', '3', '4', '5']);
  });

  it('waits while the application has paused reading, and pings again after resume()', () => {
    const h = harness('server', { keepAlive: { interval: 100, timeout: 50 } });
    h.driver.pause();
    for (let i = 0; i < 20; i++) h.clock.advance(100);
    // Paused for 2 s: no ping judged, no drop (the pong could not have been read).
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    expect(h.transport.destroyed).toBe(false);
    h.driver.resume();
    // Reading again: a silent interval later the peer is pinged, and dropped if still silent.
    h.clock.advance(100);
    expect(pingsSeen(h.deliverToPeer())).toBe(1);
    h.clock.advance(50);
    expect(h.transport.destroyed).toBe(true);
  });

  it('stops once the close starts (the close timer takes over) and leaves no timer after close', () => {
    const h = harness('server', { keepAlive: { interval: 100, timeout: 50 }, closeTimeout: 10_000 });
    h.driver.close(1000);
    h.clock.advance(1000);
    expect(pingsSeen(h.deliverToPeer())).toBe(0);
    expect(h.transport.destroyed).toBe(false);
    h.deliverFromPeer(); // the peer's close answer
    h.driver.transportClosed();
    expect(h.events.closed?.code).toBe(1000);
    expect(h.clock.activeTimers).toBe(0);
  });

  it('refuses bad options with a typed error, and a clock without now()', () => {
    const base = { connection: { role: 'server' as const }, transport: new FakeTransport(), events: new RecordingEvents() };
    const clock = new FakeClock();
    expect(() => new Driver({ ...base, clock, keepAlive: { interval: 0 } })).toThrow(InvalidArgumentError);
    expect(() => new Driver({ ...base, clock, keepAlive: { interval: 10, timeout: -1 } })).toThrow(InvalidArgumentError);
    expect(() => new Driver({ ...base, clock, keepAlive: { interval: 10, timeout: 5, whenIdle: false } })).toThrow(InvalidArgumentError);
    const withoutNow: Clock = {
      setTimer: (delay, callback) => clock.setTimer(delay, callback),
      clearTimer: (timer) => clock.clearTimer(timer),
      soon: (callback, arg) => clock.soon(callback, arg),
      later: (callback) => clock.later(callback),
    };
    expect(() => new Driver({ ...base, clock: withoutNow, keepAlive: { interval: 10 } })).toThrow(InvalidArgumentError);
    // Without the option nothing is scheduled and no clock reading is needed.
    new Driver({ ...base, clock: withoutNow });
    expect(clock.activeTimers).toBe(0);
  });
});
