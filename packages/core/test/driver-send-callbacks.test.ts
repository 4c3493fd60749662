import { describe, expect, it } from 'vitest';
import { harness } from './driver-fakes.js';

describe('driver: send callbacks run in order, once their write is flushed', () => {
  it('calls nothing before the transport completes the write, then every callback in send order', () => {
    const h = harness('server');
    const calls: string[] = [];
    h.driver.send('a', undefined, () => calls.push('a'));
    h.driver.ping('p', () => calls.push('ping'));
    h.driver.send('b', undefined, () => calls.push('b'));
    h.clock.runTicks();
    expect(calls).toEqual([]);
    expect(h.transport.writes).toHaveLength(3);
    h.transport.complete(2);
    expect(calls).toEqual(['a', 'ping']);
    h.transport.complete();
    expect(calls).toEqual(['a', 'ping', 'b']);
  });

  it('asks to hear of a write only when a callback (or an automatic pong) waits on it', () => {
    const h = harness('server');
    h.driver.send('plain', undefined, undefined);
    h.driver.send('with callback', undefined, () => {});
    h.transport.complete();
    h.driver.send('plain again', undefined, undefined);
    expect(h.transport.askedForDone).toEqual([false, true, false]);
  });

  it('hands a write error to the callbacks of that write', () => {
    const h = harness('client');
    const errors: Array<Error | null | undefined> = [];
    h.driver.send('x', undefined, (error) => errors.push(error));
    h.transport.complete(1, new Error('EPIPE'));
    expect(errors.map((error) => error?.message)).toEqual(['EPIPE']);
  });

  it('fails the callbacks still waiting when the connection closes, in order, after the current code', () => {
    const h = harness('server');
    const calls: string[] = [];
    h.driver.send('1', undefined, (error) => calls.push(`1 ${error?.message}`));
    h.driver.send('2', undefined, (error) => calls.push(`2 ${error?.message}`));
    h.driver.terminate();
    h.driver.transportClosed();
    expect(calls).toEqual([]);
    h.clock.runTicks();
    expect(calls).toEqual(['1 WebSocket is not open: readyState 3 (CLOSED)', '2 WebSocket is not open: readyState 3 (CLOSED)']);
  });

  it('counts unflushed bytes, queued output and sends after close in bufferedAmount', () => {
    const h = harness('server');
    h.driver.send('hello', undefined, undefined);
    expect(h.driver.bufferedAmount).toBe(7); // 2-byte header + 5
    h.transport.complete();
    expect(h.driver.bufferedAmount).toBe(0);
    h.driver.addUnsent(3);
    expect(h.driver.bufferedAmount).toBe(3);
  });
});

describe('the success argument', () => {
  it('is null once written, as Node write callbacks and ws give it', () => {
    const h = harness('client');
    const args: unknown[][] = [];
    h.driver.send('x', undefined, (...a) => args.push(a));
    h.transport.complete(1);
    expect(args).toEqual([[null]]);
  });
});
