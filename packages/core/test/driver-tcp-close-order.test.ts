import { describe, expect, it } from 'vitest';
import { harness } from './driver-fakes.js';

describe('driver: who closes TCP first (RFC 6455 §7.1.1)', () => {
  it('a server ends the transport as soon as both close frames are through', () => {
    const h = harness('server', { closeTimeout: 100 });
    h.peer.close(1000, 'done');
    h.deliverFromPeer();
    // Our answering close frame was written before the end.
    expect(h.deliverToPeer()).toEqual(['close 1000']);
    expect(h.transport.ended).toBe(true);
    expect(h.driver.readyState).toBe(2);
    h.driver.transportClosed();
    expect(h.events.closed).toMatchObject({ code: 1000, reason: 'done', wasClean: true });
  });

  it('a server whose peer never closes its side drops the transport after the timeout', () => {
    const h = harness('server', { closeTimeout: 100 });
    h.driver.close(1000);
    h.deliverToPeer();
    h.deliverFromPeer(); // the peer's answer
    expect(h.transport.ended).toBe(true);
    h.clock.advance(100);
    expect(h.transport.destroyed).toBe(true);
    h.driver.transportClosed();
    // Both close frames were exchanged: clean, even though TCP had to be dropped.
    expect(h.events.closed).toMatchObject({ code: 1000, wasClean: true });
  });

  it('a client that started the close ends its side once the server answered (the server ended first), and reports close only when TCP is closed', () => {
    const h = harness('client', { closeTimeout: 100 });
    h.driver.close(1000, 'bye');
    expect(h.deliverToPeer()).toEqual(['close 1000']);
    expect(h.transport.ended).toBe(false);
    h.deliverFromPeer(); // the server's answer; a server ends TCP right after it
    // Like `ws`: our FIN follows the server's answer at once, not only once its FIN is read, so
    // the server has the whole close before we report ours.
    expect(h.transport.ended).toBe(true);
    expect(h.driver.readyState).toBe(2);
    expect(h.events.closed).toBeUndefined();
    h.clock.advance(99);
    h.driver.transportEnded(); // the server's FIN
    h.driver.transportClosed();
    expect(h.transport.destroyed).toBe(false);
    expect(h.events.closed).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });
  });

  it('a client that started the close and never hears the TCP close drops the transport after the timeout', () => {
    const h = harness('client', { closeTimeout: 100 });
    h.driver.close(1000);
    h.deliverToPeer();
    h.deliverFromPeer();
    h.clock.advance(100);
    expect(h.transport.destroyed).toBe(true);
    h.driver.transportClosed();
    expect(h.events.closed).toMatchObject({ code: 1000, wasClean: true });
  });

  it('a client whose server never closes TCP drops it after the timeout', () => {
    const h = harness('client', { closeTimeout: 100 });
    h.peer.close(1001);
    h.deliverFromPeer();
    expect(h.deliverToPeer()).toEqual(['close 1001']);
    expect(h.transport.ended).toBe(false);
    h.clock.advance(100);
    expect(h.transport.destroyed).toBe(true);
  });

  it('a peer that ends its side makes readyState CLOSING and ends ours', () => {
    const h = harness('server');
    h.driver.transportEnded();
    expect(h.driver.readyState).toBe(2);
    expect(h.driver.isOpen).toBe(false);
    expect(h.transport.ended).toBe(true);
    h.driver.transportClosed();
    expect(h.events.log).toEqual(['closed 1006 unclean']);
  });

  it('a protocol error fails the connection: error, then the transport is ended', () => {
    const h = harness('server');
    h.driver.receive(Uint8Array.of(0x81, 0x01, 0x41)); // unmasked frame from a client
    expect(h.events.log[0]).toMatch(/^error/);
    expect(h.deliverToPeer()).toEqual(['close 1002']);
    expect(h.transport.ended).toBe(true);
    // close() after the failure only ends the transport again.
    h.driver.close(1000);
    h.driver.transportClosed();
    expect(h.events.closed?.code).toBe(1006);
  });
});
