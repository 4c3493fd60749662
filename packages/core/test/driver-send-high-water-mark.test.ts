import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/index.js';
import { DEFAULT_SEND_HIGH_WATER_MARK } from '../src/driver/index.js';
import { harness } from './driver-fakes.js';

const text = (n: number): string => 'x'.repeat(n);

describe('driver: send high-water mark', () => {
  it('send returns true while bufferedAmount is at or below the mark, false past it', () => {
    const h = harness('server', { sendHighWaterMark: 100 });
    expect(h.driver.sendHighWaterMark).toBe(100);
    // A 50-byte server frame is 52 bytes on the wire (2-byte header).
    expect(h.driver.send(text(48), undefined, undefined)).toBe(true); // 50 buffered
    expect(h.driver.send(text(48), undefined, undefined)).toBe(true); // 100: at the mark
    expect(h.driver.send(text(1), undefined, undefined)).toBe(false); // 103
    expect(h.driver.bufferedAmount).toBe(103);
  });

  it('reports drain once, when completed writes bring bufferedAmount back to the mark, and asks only the writes it needs', () => {
    const h = harness('server', { sendHighWaterMark: 100 });
    h.driver.send(text(48), undefined, undefined);
    h.driver.send(text(98), undefined, undefined); // 150 buffered: false
    h.driver.send(text(98), undefined, undefined); // 250: false again, one drain still
    // The first write stayed below the mark: it need not report; the others take it past.
    expect(h.transport.askedForDone).toEqual([false, true, true]);
    h.transport.complete(1);
    expect(h.events.drains).toBe(0); // 200 left
    h.transport.complete(1);
    expect(h.events.drains).toBe(1); // 100 left: at the mark
    h.transport.complete(1);
    expect(h.events.drains).toBe(1);
    // Nobody waits any more and the next send stays below: no completion asked.
    expect(h.driver.send(text(8), undefined, undefined)).toBe(true);
    expect(h.transport.askedForDone.at(-1)).toBe(false);
  });

  it('counts sends made while listeners run (queued, not yet written) and drains after their write', () => {
    const h = harness('client', { sendHighWaterMark: 10 });
    const results: boolean[] = [];
    h.events.onEachMessage = () => results.push(h.driver.send(text(20), undefined, undefined));
    h.peer.send('hi');
    h.deliverFromPeer();
    expect(results).toEqual([false]);
    expect(h.transport.writes).toHaveLength(1);
    h.transport.complete();
    expect(h.events.drains).toBe(1);
  });

  it('no drain after the connection closed, and sends after close keep returning false', () => {
    const h = harness('server', { sendHighWaterMark: 0 });
    expect(h.driver.send('a', undefined, undefined)).toBe(false);
    h.driver.terminate();
    h.driver.transportClosed();
    h.transport.complete();
    expect(h.events.drains).toBe(0);
  });

  it('defaults to 16 MiB and refuses a mark that is negative or not a number', () => {
    expect(DEFAULT_SEND_HIGH_WATER_MARK).toBe(16 * 1024 * 1024);
    expect(harness('server').driver.sendHighWaterMark).toBe(DEFAULT_SEND_HIGH_WATER_MARK);
    expect(() => harness('server', { sendHighWaterMark: -1 })).toThrow(InvalidArgumentError);
    expect(() => harness('server', { sendHighWaterMark: Number.NaN })).toThrow(InvalidArgumentError);
  });
});
