import { describe, expect, it } from 'vitest';
import { harness } from './driver-fakes.js';

/** A payload whose bytes come later (a Blob being read), resolved by the test. */
function later(text: string): { read: Promise<Uint8Array>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const read = new Promise<Uint8Array>((res, rej) => {
    resolve = () => res(new TextEncoder().encode(text));
    reject = rej;
  });
  return { read, resolve, reject };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('driver: a payload read asynchronously keeps its place in the send order', () => {
  it('sends, pings and close called after it wait behind it; their bytes count in bufferedAmount meanwhile', async () => {
    const h = harness('client');
    const blob = later('blob');
    h.driver.send('first', undefined, undefined);
    h.driver.sendAsync('message', blob.read, 4, undefined, undefined);
    h.driver.send('after', undefined, undefined);
    h.driver.ping('p', undefined);
    h.driver.close(1000);
    expect(h.deliverToPeer()).toEqual(['message first']);
    expect(h.driver.bufferedAmount).toBe(h.transport.bufferedAmount + 4 + 5 + 1);
    expect(h.driver.readyState).toBe(1);
    blob.resolve();
    await settle();
    expect(h.deliverToPeer()).toEqual(['message blob', 'message after', 'ping', 'close 1000']);
  });

  it('if the transport went away meanwhile, it and the calls held behind it fail with one error', async () => {
    const h = harness('client');
    const blob = later('blob');
    const calls: string[] = [];
    h.driver.sendAsync('message', blob.read, 4, undefined, (error) => calls.push(`blob ${error?.message}`));
    h.driver.send('held', undefined, (error) => calls.push(`held ${error?.message}`));
    h.driver.terminate();
    blob.resolve();
    await settle();
    h.clock.runTicks();
    expect(calls).toEqual(['blob The socket was closed while the blob was being read', 'held The socket was closed while the blob was being read']);
  });

  it('a read that fails reports the error after the callbacks and ends the transport', async () => {
    const h = harness('server');
    const blob = later('x');
    const calls: string[] = [];
    h.driver.sendAsync('message', blob.read, 1, undefined, (error) => calls.push(`cb ${error?.message}`));
    blob.reject(new Error('unreadable'));
    await settle();
    h.clock.runTicks();
    expect(calls).toEqual(['cb unreadable']);
    expect(h.events.log.some((line) => line.startsWith('error'))).toBe(true);
    expect(h.transport.ended).toBe(true);
  });

  it("a failed read reports the only error: a protocol error after it is not reported again", async () => {
    const h = harness('client');
    const blob = later('x');
    h.driver.sendAsync('message', blob.read, 1, undefined, undefined);
    blob.reject(new Error('unreadable'));
    await settle();
    h.clock.runTicks();
    h.driver.receive(Uint8Array.of(0x85, 0x00)); // invalid opcode
    expect(h.events.log.filter((line) => line.startsWith('error'))).toHaveLength(1);
  });
});
