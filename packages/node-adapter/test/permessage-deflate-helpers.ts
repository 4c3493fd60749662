/**
 * Test plumbing for permessage-deflate: Connections that may wait on an asynchronous codec,
 * pumped until nothing moves. Real Connections, real codecs, real bytes.
 */
import {
  Connection,
  type ConnectionEvent,
  type ConnectionOptions,
  DONE,
  type Extension,
  type ExtensionFactory,
  NEED_DATA,
  PENDING,
} from '@sansock/core';

/** A wake-up flag that is never lost: notify before wait makes the next wait return at once. */
export class Signal {
  private woken = false;
  private waiter: (() => void) | undefined;
  notify = (): void => {
    this.woken = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  };
  wait(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiter = () => {
        this.woken = false;
        resolve();
      };
    });
  }
}

/** One end: a Connection, the events it produced, where its output goes. */
export class End {
  readonly conn: Connection;
  readonly events: ConnectionEvent[] = [];
  /** Output written by this end, in order (for byte-level assertions). */
  readonly written: Uint8Array[] = [];
  sink: ((chunk: Uint8Array) => void) | undefined;

  constructor(options: Omit<ConnectionOptions, 'onWake'>, signal: Signal) {
    this.conn = new Connection({ ...options, onWake: signal.notify });
  }

  /** Reads events and moves output; true if anything happened, and whether a codec is busy. */
  step(): { progressed: boolean; pending: boolean } {
    let progressed = false;
    let pending = false;
    for (;;) {
      const event = this.conn.nextEvent();
      if (event === PENDING) {
        pending = true;
        break;
      }
      if (event === NEED_DATA || event === DONE) break;
      this.events.push(event);
      progressed = true;
    }
    for (const chunk of this.conn.takeOutput()) {
      progressed = true;
      // The receiver unmasks in place: hand it a copy, keep the original for assertions.
      this.written.push(chunk.slice());
      this.sink?.(chunk.slice());
    }
    return { progressed, pending };
  }

  messages(): Array<{ data: Uint8Array; binary: boolean }> {
    return this.events.flatMap((e) => (e.type === 'message' ? [{ data: e.data, binary: e.binary }] : []));
  }
}

/** Pumps every end until none makes progress and no codec is busy. */
export async function settle(signal: Signal, ...ends: End[]): Promise<void> {
  for (;;) {
    let progressed = false;
    let pending = false;
    for (const end of ends) {
      const result = end.step();
      progressed ||= result.progressed;
      pending ||= result.pending;
    }
    if (progressed) continue;
    if (!pending) return;
    await signal.wait();
  }
}

/** Negotiates `client` against `server` as the handshake would, returning both extensions. */
export function negotiate(client: ExtensionFactory, server: ExtensionFactory): { client: Extension; server: Extension; header: string } {
  const offers = client.offers();
  const accepted = server.accept(offers);
  if (accepted === null) throw new Error('the server declined every offer');
  const confirmed = client.confirm(accepted.response);
  if (typeof confirmed === 'string') throw new Error(`the client rejected the response: ${confirmed}`);
  const header = [accepted.response.name, ...accepted.response.params.map(([k, v]) => (v === true ? k : `${k}=${v}`))].join('; ');
  return { client: confirmed, server: accepted.extension, header };
}

/** A connected client/server pair in memory with the given extensions. */
export function pair(
  extensions: { client: Extension; server: Extension },
  options: { maxPayload?: number; fragmentSize?: number } = {},
): { client: End; server: End; signal: Signal } {
  const signal = new Signal();
  const client = new End({ role: 'client', extensions: [extensions.client], ...options }, signal);
  const server = new End({ role: 'server', extensions: [extensions.server], ...options }, signal);
  client.sink = (chunk) => server.conn.receiveData(chunk);
  server.sink = (chunk) => client.conn.receiveData(chunk);
  return { client, server, signal };
}

export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** The status code in the last close frame an end wrote (unmasking a client's), or undefined. */
export function closeCodeSent(end: End): number | undefined {
  const frame = [...end.written].reverse().find((f) => (f[0]! & 0x0f) === 0x8);
  if (frame === undefined || (frame[1]! & 0x7f) < 2) return undefined;
  const masked = (frame[1]! & 0x80) !== 0;
  const at = masked ? 6 : 2;
  const key = masked ? frame.subarray(2, 6) : Uint8Array.of(0, 0);
  return ((frame[at]! ^ key[0]!) << 8) | (frame[at + 1]! ^ key[1]!);
}

/**
 * Drives a Connection over a real socket: bytes in, events out, output written in order,
 * `close-transport` ends the socket, the socket closing ends the Connection.
 */
export class SocketDriver {
  readonly events: ConnectionEvent[] = [];
  readonly conn: Connection;
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  constructor(
    private readonly socket: import('node:net').Socket,
    options: Omit<ConnectionOptions, 'onWake'>,
    rest: Uint8Array = new Uint8Array(0),
    private readonly onEvent: (event: ConnectionEvent, driver: SocketDriver) => void = () => {},
  ) {
    this.conn = new Connection({ ...options, onWake: () => this.pump() });
    socket.on('data', (chunk: Buffer) => {
      this.conn.receiveData(Uint8Array.prototype.slice.call(chunk));
      this.pump();
    });
    socket.on('close', () => {
      this.conn.receiveData(null);
      this.pump();
    });
    socket.on('error', () => {});
    if (rest.length > 0) this.conn.receiveData(rest.slice());
    this.pump();
  }

  pump(): void {
    for (;;) {
      const event = this.conn.nextEvent();
      if (event === NEED_DATA || event === PENDING || event === DONE) break;
      this.events.push(event);
      this.onEvent(event, this);
      if (event.type === 'close-transport') this.flushThen(() => this.socket.end());
    }
    this.flushThen(() => {});
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private flushThen(after: () => void): void {
    for (const chunk of this.conn.takeOutput()) if (!this.socket.destroyed) this.socket.write(chunk);
    after();
  }

  send(data: Uint8Array | string, options?: Parameters<Connection['send']>[1]): void {
    this.conn.send(data, options);
    this.pump();
  }

  messages(): Array<{ data: Uint8Array; binary: boolean }> {
    return this.events.flatMap((e) => (e.type === 'message' ? [{ data: e.data, binary: e.binary }] : []));
  }

  /** Resolves once `test` holds (checked after every pump). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}
