import { describe, expect, it } from 'vitest';
import { harness } from './driver-fakes.js';

describe('driver: automatic pongs are counted until written (a ping flood is cut off)', () => {
  it('terminates a peer with more unwritten automatic pongs than allowed', () => {
    const h = harness('server', { maxPendingAutoPongs: 2 });
    h.peer.ping('1');
    h.peer.ping('2');
    h.deliverFromPeer();
    expect(h.transport.destroyed).toBe(false);
    h.peer.ping('3');
    h.deliverFromPeer();
    expect(h.transport.destroyed).toBe(true);
    expect(h.driver.readyState).toBe(2);
  });

  it('a written pong no longer counts', () => {
    const h = harness('server', { maxPendingAutoPongs: 1 });
    for (let i = 0; i < 5; i++) {
      h.peer.ping(String(i));
      h.deliverFromPeer();
      h.transport.complete();
    }
    expect(h.transport.destroyed).toBe(false);
    expect(h.deliverToPeer()).toEqual(['pong', 'pong', 'pong', 'pong', 'pong']);
    expect(h.events.log).toEqual(['ping 0', 'ping 1', 'ping 2', 'ping 3', 'ping 4']);
  });

  it('0 means no limit, and autoPong: false counts nothing', () => {
    const unlimited = harness('server', { maxPendingAutoPongs: 0 });
    const manual = harness('server', { maxPendingAutoPongs: 1, connection: { role: 'server', autoPong: false } });
    for (const h of [unlimited, manual]) {
      for (let i = 0; i < 10; i++) h.peer.ping();
      h.deliverFromPeer();
      expect(h.transport.destroyed).toBe(false);
    }
    expect(manual.transport.writes).toHaveLength(0);
  });
});
