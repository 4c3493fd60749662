import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOSE_TIMEOUT } from '../src/driver/index.js';
import { harness } from './driver-fakes.js';

describe('driver: the close timer (RFC 6455 §7.1.1, a peer that never answers must not leak)', () => {
  it('drops the transport when the peer never answers our close frame', () => {
    const h = harness('server', { closeTimeout: 1000 });
    h.driver.close(1000, 'bye');
    expect(h.driver.readyState).toBe(2);
    expect(h.deliverToPeer()).toEqual(['close 1000']);
    h.clock.advance(999);
    expect(h.transport.destroyed).toBe(false);
    h.clock.advance(1);
    expect(h.transport.destroyed).toBe(true);
    h.driver.transportClosed();
    expect(h.events.log).toEqual(['closed 1006 unclean']);
    expect(h.driver.readyState).toBe(3);
  });

  it('uses 30 s when no timeout is given', () => {
    const h = harness('client');
    h.driver.close();
    h.clock.advance(DEFAULT_CLOSE_TIMEOUT - 1);
    expect(h.transport.destroyed).toBe(false);
    h.clock.advance(1);
    expect(h.transport.destroyed).toBe(true);
  });

  it('starts the timer even while reading is paused, and clears it once the transport closes', () => {
    const h = harness('server', { closeTimeout: 50 });
    h.driver.pause();
    h.driver.close(1001);
    expect(h.clock.activeTimers).toBe(1);
    h.driver.transportClosed();
    expect(h.clock.activeTimers).toBe(0);
    expect(h.events.closed?.code).toBe(1006);
  });

  it('fails the connection when the timer fires before the close exchange, and reports 1006 once', () => {
    const h = harness('client', { closeTimeout: 10 });
    h.driver.close(4000, 'x');
    h.clock.advance(10);
    h.driver.transportClosed();
    h.driver.transportClosed();
    expect(h.events.log.filter((line) => line.startsWith('closed'))).toEqual(['closed 1006 unclean']);
  });
});
