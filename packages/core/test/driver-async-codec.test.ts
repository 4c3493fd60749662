import { describe, expect, it } from 'vitest';
import type { Extension } from '../src/index.js';
import { Driver } from '../src/driver/index.js';
import { FakeClock, FakeTransport, RecordingEvents } from './driver-fakes.js';
import { clientFrame, wireFrames } from './helpers.js';

/** An extension whose codec answers only when the test resolves it (like node:zlib, asynchronous). */
class ManualCodec implements Extension {
  readonly name = 'x-manual';
  readonly rsvMask = 0x40;
  readonly pending: Array<() => void> = [];
  decode(payload: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve) => this.pending.push(() => resolve(payload)));
  }
  encode(payload: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve) => this.pending.push(() => resolve(payload)));
  }
  rsvFor(_first: Uint8Array, _fin: boolean, requested: boolean): number {
    return requested ? this.rsvMask : 0;
  }
  settleAll(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const codec = new ManualCodec();
  const transport = new FakeTransport();
  const clock = new FakeClock();
  const events = new RecordingEvents();
  const driver = new Driver({ connection: { role: 'server', extensions: [codec] }, transport, clock, events });
  return { codec, transport, clock, events, driver };
}

describe('driver: an asynchronous extension codec keeps order and holds reading', () => {
  it('pauses the transport while a received message is decoded, resumes and delivers once it settles', async () => {
    const { codec, transport, events, driver } = setup();
    driver.receive(clientFrame(0x1, 'first', { rsv: 0x40 }));
    expect(transport.paused).toBe(true);
    driver.receive(clientFrame(0x1, 'second', { rsv: 0x40 }));
    expect(events.messages).toEqual([]);
    codec.settleAll();
    await tick();
    codec.settleAll();
    await tick();
    expect(events.messages).toEqual(['first', 'second']);
    expect(transport.paused).toBe(false);
  });

  it('keeps reading while only a send is being encoded, and calls its callback after the write', async () => {
    const { codec, transport, clock, driver } = setup();
    const calls: string[] = [];
    driver.send('compressed', undefined, () => calls.push('sent'));
    expect(transport.writes).toHaveLength(0);
    expect(driver.bufferedAmount).toBe('compressed'.length);
    codec.settleAll();
    await tick();
    expect(wireFrames(transport.writes[0]!)).toMatchObject([{ opcode: 1, rsv: 0x40 }]);
    clock.runTicks();
    expect(calls).toEqual([]);
    transport.complete();
    expect(calls).toEqual(['sent']);
  });
});

describe('driver: sends an asynchronous encode holds when the transport goes (as ws)', () => {
  const compressing = 'The socket was closed while data was being compressed';

  it('terminate(): their callbacks fail soon, in order, while readyState is CLOSING, and no later write reports success', async () => {
    const { codec, transport, clock, events, driver } = setup();
    const calls: string[] = [];
    driver.send('one', undefined, (error) => calls.push(`one ${driver.readyState} ${error?.message}`));
    driver.send('two', undefined, (error) => calls.push(`two ${driver.readyState} ${error?.message}`));
    driver.terminate();
    expect(calls).toEqual([]); // never inside terminate()
    clock.runTicks();
    expect(calls).toEqual([`one 2 ${compressing}`, `two 2 ${compressing}`]);
    // The encodes finish after all: nothing is written, nobody is called again.
    codec.settleAll();
    await tick();
    codec.settleAll();
    await tick();
    clock.runTicks();
    expect(transport.writes).toHaveLength(0);
    driver.transportClosed();
    clock.runTicks();
    expect(calls).toHaveLength(2);
    expect(events.closed?.code).toBe(1006);
  });

  it('the transport closes (the peer ended it): they fail at once, before the close is reported', () => {
    const { transport, events, driver } = setup();
    driver.send('one', undefined, (error) => events.log.push(`callback ${driver.readyState} ${error?.message}`));
    driver.transportEnded();
    expect(transport.ended).toBe(true);
    driver.transportClosed();
    expect(events.log).toEqual([`callback 2 ${compressing}`, 'closed 1006 unclean']);
  });

  it('an encode that finishes after the transport was ended: its callback gets the error, never null', async () => {
    const { codec, transport, clock, driver } = setup();
    const calls: Array<string | null | undefined> = [];
    driver.send('one', undefined, (error) => calls.push(error === null ? null : error?.message));
    driver.transportEnded();
    codec.settleAll();
    await tick();
    clock.runTicks();
    expect(transport.writes).toHaveLength(0);
    expect(calls).toEqual([compressing]);
  });
});
