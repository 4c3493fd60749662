import { describe, expect, it } from 'vitest';
import { harness } from './driver-fakes.js';

describe('driver: write batching', () => {
  it('writes the replies to one read in one write, when the listener returns', () => {
    const h = harness('server');
    h.events.onEachMessage = (text) => h.driver.send(text.toUpperCase(), undefined, undefined);
    h.peer.send('a');
    h.peer.send('b');
    h.peer.send('c');
    h.deliverFromPeer();
    expect(h.transport.writes).toHaveLength(1);
    expect(h.deliverToPeer()).toEqual(['message A', 'message B', 'message C']);
  });

  it('a broadcast from a listener costs one write per peer per read', () => {
    const source = harness('server');
    const others = [harness('server'), harness('server')];
    source.events.onEachMessage = (text) => {
      for (const other of others) other.driver.send(text, undefined, undefined);
      // Not written yet: the outermost listener has not returned.
      expect(others[0]!.transport.writes).toHaveLength(0);
    };
    source.peer.send('x');
    source.peer.send('y');
    source.deliverFromPeer();
    for (const other of others) {
      expect(other.transport.writes).toHaveLength(1);
      expect(other.deliverToPeer()).toEqual(['message x', 'message y']);
    }
  });

  it('sends outside listeners are written at once', () => {
    const h = harness('client');
    h.driver.send('now', undefined, undefined);
    expect(h.transport.writes).toHaveLength(1);
  });

  it('output is dropped, not written, once the transport is no longer writable', () => {
    const h = harness('server');
    h.transport.destroyed = true;
    h.driver.send('lost', undefined, undefined);
    expect(h.transport.writes).toHaveLength(0);
  });
});
