/**
 * A fake transport and a fake clock for the driver's tests: every write, end, destroy, pause
 * and timer is recorded and happens only when the test says so.
 */
import { Connection, type ClosedEvent, DONE, NEED_DATA, PENDING, type Role } from '../src/index.js';
import { type Clock, Driver, type DriverEvents, type DriverOptions, type Transport, type WriteDone } from '../src/driver/index.js';
import { concat } from './helpers.js';

export class FakeTransport implements Transport {
  /** Every write, as the concatenated bytes of its chunks. */
  readonly writes: Uint8Array[] = [];
  /** Completion callbacks of writes not yet completed, oldest first. */
  readonly pendingDone: WriteDone[] = [];
  /** Per write: whether the driver wanted to hear of its completion. */
  readonly askedForDone: boolean[] = [];
  ended = false;
  destroyed = false;
  paused = false;
  /** What a paused socket would still hold when it closes. */
  readonly held: Uint8Array[] = [];
  private unflushed: number[] = [];

  get writable(): boolean {
    return !this.ended && !this.destroyed;
  }

  get bufferedAmount(): number {
    return this.unflushed.reduce((sum, n) => sum + n, 0);
  }

  write(chunks: readonly Uint8Array[], done: WriteDone | undefined): void {
    const bytes = concat(...chunks);
    this.writes.push(bytes);
    this.unflushed.push(bytes.length);
    this.pendingDone.push(done ?? (() => {}));
    this.askedForDone.push(done !== undefined);
  }

  /** Completes the oldest `count` writes (all by default), as the OS would. */
  complete(count = this.pendingDone.length, error?: Error): void {
    for (let i = 0; i < count; i++) {
      this.unflushed.shift();
      this.pendingDone.shift()!(error);
    }
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  readBuffered(): Uint8Array | null {
    return this.held.shift() ?? null;
  }
}

export class FakeClock implements Clock {
  time = 0;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  private ticks: Array<() => void> = [];

  setTimer(delayMs: number, callback: () => void): number {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, callback, id });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.timers = this.timers.filter((entry) => entry.id !== timer);
  }

  soon<A>(callback: (arg: A) => void, arg: A): void {
    this.ticks.push(() => callback(arg));
  }

  later(callback: () => void): void {
    this.ticks.push(callback);
  }

  get activeTimers(): number {
    return this.timers.length;
  }

  /** Runs what `soon`/`later` queued, including what those calls queue. */
  runTicks(): void {
    while (this.ticks.length > 0) this.ticks.shift()!();
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((entry) => entry.at <= this.time);
    this.timers = this.timers.filter((entry) => entry.at > this.time);
    for (const entry of due) entry.callback();
  }

  now(): number {
    return this.time;
  }
}

/** What the driver reported, in order. */
export class RecordingEvents implements DriverEvents {
  readonly log: string[] = [];
  readonly messages: string[] = [];
  closed: ClosedEvent | undefined;
  /** Called on each message (a test's 'message' listener). */
  onEachMessage: ((text: string) => void) | undefined;

  onMessage(data: Uint8Array, binary: boolean): void {
    const text = new TextDecoder().decode(data);
    this.messages.push(text);
    this.log.push(`message ${binary ? 'binary' : 'text'} ${text}`);
    this.onEachMessage?.(text);
  }
  onPing(data: Uint8Array): void {
    this.log.push(`ping ${new TextDecoder().decode(data)}`);
  }
  onPong(data: Uint8Array): void {
    this.log.push(`pong ${new TextDecoder().decode(data)}`);
  }
  onError(error: Error): void {
    this.log.push(`error ${error.message}`);
  }
  /** 'drain' reports (send high-water mark), counted rather than logged. */
  drains = 0;
  onDrain(): void {
    this.drains++;
  }
  onClosed(event: ClosedEvent): void {
    this.closed = event;
    this.log.push(`closed ${event.code} ${event.wasClean ? 'clean' : 'unclean'}`);
  }
}

export interface Harness {
  readonly driver: Driver;
  readonly transport: FakeTransport;
  readonly clock: FakeClock;
  readonly events: RecordingEvents;
  /** The other end, a bare core Connection of the opposite role. */
  readonly peer: Connection;
  /** Hands everything the driver wrote so far to the peer and returns the peer's events. */
  deliverToPeer(): string[];
  /** Hands what the peer has to send to the driver. */
  deliverFromPeer(): void;
}

export function harness(role: Role, options: Partial<Omit<DriverOptions, 'transport' | 'clock' | 'events'>> = {}): Harness {
  const transport = new FakeTransport();
  const clock = new FakeClock();
  const events = new RecordingEvents();
  const driver = new Driver({ connection: { role }, ...options, transport, clock, events });
  const peer = new Connection({ role: role === 'server' ? 'client' : 'server' });
  let delivered = 0;
  return {
    driver,
    transport,
    clock,
    events,
    peer,
    deliverToPeer() {
      for (; delivered < transport.writes.length; delivered++) peer.receiveData(transport.writes[delivered]!.slice());
      const seen: string[] = [];
      for (;;) {
        const event = peer.nextEvent();
        if (event === NEED_DATA || event === PENDING || event === DONE) break;
        if (event.type === 'message') seen.push(`message ${new TextDecoder().decode(event.data)}`);
        else if (event.type === 'close') seen.push(`close ${event.code}`);
        // The peer's own directives (timers, TCP) are not what the driver sent.
        else if (event.type !== 'start-close-timer' && event.type !== 'close-transport') seen.push(event.type);
      }
      return seen;
    },
    deliverFromPeer() {
      const output = peer.takeOutput();
      if (output.length > 0) driver.receive(concat(...output));
    },
  };
}
