import { describe, expect, it } from 'vitest';
import { harness } from './driver-fakes.js';

describe("driver: readyState is the core's state (plus the transport's end)", () => {
  it('OPEN, CLOSING after our close, CLOSED after the transport', () => {
    const h = harness('server');
    expect(h.driver.readyState).toBe(1);
    expect(h.driver.isOpen).toBe(true);
    h.driver.close(1000);
    expect(h.driver.readyState).toBe(2);
    expect(h.driver.isOpen).toBe(false);
    h.driver.transportClosed();
    expect(h.driver.readyState).toBe(3);
  });

  it('CLOSING after terminate(), which writes what was sent before dropping the transport', () => {
    const h = harness('client');
    h.events.onEachMessage = () => {
      h.driver.send('last words', undefined, undefined);
      h.driver.terminate();
    };
    h.peer.send('go');
    h.deliverFromPeer();
    expect(h.driver.readyState).toBe(2);
    expect(h.transport.destroyed).toBe(true);
    expect(h.deliverToPeer()).toEqual(['message last words']);
  });

  it('CLOSING while the peer close frame is answered; pause/resume do nothing once CLOSED', () => {
    const h = harness('client');
    h.peer.close(1000);
    h.deliverFromPeer();
    expect(h.driver.readyState).toBe(2);
    h.driver.transportClosed();
    h.driver.pause();
    expect(h.driver.isPaused).toBe(false);
    expect(h.driver.readyState).toBe(3);
  });
});
