/**
 * A Node socket (net/tls, or any Duplex) as the driver's Transport, and the driver's events as
 * `ws`'s EventEmitter events. Everything about the lifecycle is the driver's; this file only
 * translates between it and Node.
 */
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import type { ClosedEvent, ProtocolError, WebSocketError } from '@sansock/core';
import { Driver, type DriverEvents, type DriverOptions } from '@sansock/core/driver';
import { type RawData, asBuffer, toRawData } from './data.js';
import { nodeClock } from './node-clock.js';
import { NodeSocketTransport } from './node-socket-transport.js';
import type { EventOwner } from './types.js';

/** The binding a socket carries, for the shared socket listeners below. */
const kBinding = Symbol('sansock.binding');

/** The socket shapes we bind: net.Socket / tls.TLSSocket, or any Duplex (their extra methods are optional). */
type BoundSocket = Duplex & {
  setNoDelay?: (noDelay?: boolean) => unknown;
  setTimeout?: (timeout: number) => unknown;
  [kBinding]?: SocketBinding;
};

/*
 * Socket listeners shared by every connection (the socket points back at its binding), rather
 * than four closures per connection: an idle server holds thousands of these.
 */
function onSocketData(this: BoundSocket, chunk: Buffer): void {
  this[kBinding]?.driver.receive(chunk);
}
function onSocketEnd(this: BoundSocket): void {
  this[kBinding]?.driver.transportEnded();
}
function onSocketError(this: BoundSocket): void {
  // Like `ws`: a socket error (ECONNRESET...) is not an 'error' event; 'close' reports 1006.
  this.destroy();
}
function onSocketClose(this: BoundSocket): void {
  this.removeListener('data', onSocketData);
  this[kBinding]?.driver.transportClosed();
}

export type BindingOptions = Omit<DriverOptions, 'transport' | 'clock' | 'events'>;

export class SocketBinding extends NodeSocketTransport implements DriverEvents {
  readonly driver: Driver;
  private readonly target: EventOwner;
  /** What the 'error' event carries: the core's error as it is, or reshaped by the facade (the `ws` one gives `ws`'s errors). */
  private readonly shapeError: (error: ProtocolError | WebSocketError) => Error;

  constructor(
    socket: Duplex,
    target: EventOwner,
    options: BindingOptions,
    shapeError: (error: ProtocolError | WebSocketError) => Error = (error) => error,
  ) {
    super(socket);
    const bound = socket as BoundSocket;
    this.target = target;
    this.shapeError = shapeError;
    // The spread comes last: `{ ...options, more }` costs V8 (11, Node 20) a slow clone of about
    // 1.2 KiB of garbage per connection, `{ more, ...options }` a plain copy (issue 21, bench/idle-rss.mjs).
    this.driver = new Driver({ transport: this, clock: nodeClock, events: this, ...options });
    bound.setTimeout?.(0);
    bound.setNoDelay?.(true);
    bound[kBinding] = this;
    bound.on('data', onSocketData);
    bound.on('end', onSocketEnd);
    bound.on('close', onSocketClose);
    bound.on('error', onSocketError);
  }

  // ---- DriverEvents: `ws`'s events ---------------------------------------------------------

  onMessage(data: Uint8Array, binary: boolean): void {
    const target = this.target;
    // A Blob only with binaryType 'blob', which the RawData type (as @types/ws's) leaves out.
    target.emit('message', toRawData(data, binary, target.binaryType) as RawData, binary);
  }

  /** With `deliverFragments` (not in `ws`): each piece as it arrives. */
  onFragment(data: Uint8Array, isBinary: boolean, first: boolean, last: boolean, frameEnd: boolean): void {
    this.target.emit('fragment', asBuffer(data), { isBinary, first, last, frameEnd });
  }

  onPing(data: Uint8Array): void {
    this.target.emit('ping', asBuffer(data));
  }

  onPong(data: Uint8Array): void {
    this.target.emit('pong', asBuffer(data));
  }

  onDrain(): void {
    this.target.emit('drain');
  }

  onError(error: ProtocolError | WebSocketError): void {
    this.target.emit('error', this.shapeError(error));
  }

  onClosed(event: ClosedEvent): void {
    this.target.emit('close', event.code, Buffer.from(event.reason));
  }
}
