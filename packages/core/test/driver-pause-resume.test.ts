import { describe, expect, it } from 'vitest';
import { concat } from './helpers.js';
import { harness } from './driver-fakes.js';

describe('driver: pause and resume with data in flight', () => {
  it('delivers nothing while paused, keeps the transport paused, and delivers in order on resume', () => {
    const h = harness('server');
    h.driver.pause();
    expect(h.transport.paused).toBe(true);
    h.peer.send('one');
    h.peer.send('two');
    h.deliverFromPeer();
    expect(h.events.messages).toEqual([]);
    expect(h.transport.paused).toBe(true);
    h.driver.resume();
    expect(h.events.messages).toEqual(['one', 'two']);
    expect(h.transport.paused).toBe(false);
    expect(h.driver.isPaused).toBe(false);
  });

  it('pausing from a listener stops delivery after that message', () => {
    const h = harness('client');
    h.events.onEachMessage = () => h.driver.pause();
    h.peer.send('a');
    h.peer.send('b');
    h.deliverFromPeer();
    expect(h.events.messages).toEqual(['a']);
    h.events.onEachMessage = undefined;
    h.driver.resume();
    expect(h.events.messages).toEqual(['a', 'b']);
  });

  it('once the transport closes, what it still held is delivered even while paused, then closed', () => {
    const h = harness('server');
    h.driver.pause();
    h.peer.send('queued');
    h.deliverFromPeer();
    h.peer.send('held by the socket');
    h.peer.close(1000);
    h.transport.held.push(concat(...h.peer.takeOutput()));
    h.driver.transportClosed();
    expect(h.events.log).toEqual([
      'message text queued',
      'message text held by the socket',
      'closed 1000 clean',
    ]);
  });

  it('allowSynchronousEvents: false delivers one message per later() turn', () => {
    const h = harness('server', { allowSynchronousEvents: false });
    h.peer.send('1');
    h.peer.send('2');
    h.peer.send('3');
    h.deliverFromPeer();
    expect(h.events.messages).toEqual(['1']);
    h.clock.runTicks();
    expect(h.events.messages).toEqual(['1', '2', '3']);
  });
});
