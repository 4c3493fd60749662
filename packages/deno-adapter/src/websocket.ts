/**
 * The WHATWG-shaped WebSocket (https://websockets.spec.whatwg.org/), the facade only: it keeps
 * what only the API has (url, binaryType, protocol, extensions, the handshake's CONNECTING
 * state) and turns the driver's events into DOM events. readyState, bufferedAmount, the close
 * order and timers are the driver's (`@sansock/core/driver`).
 */
import { type ClosedEvent, InvalidArgumentError, type ProtocolError, type WebSocketError, isAllowedOnWire } from '@sansock/core';
import type { Driver, DriverEvents } from '@sansock/core/driver';
import { type ClientHandshakeOptions, type PendingHandshake, parseWebSocketUrl, startClientHandshake } from './client-connect.js';
import { MessageIterator, type MessageData } from './message-iterator.js';
import { type ConnectionOptions, type OpenedConnection, bindConnection } from './session.js';

/** Options of `new WebSocket(url, protocols, options)` beyond what browsers take. */
export interface WebSocketOptions extends ConnectionOptions, ClientHandshakeOptions {
  /** Subprotocols, when not given as the second argument. */
  readonly protocols?: string | readonly string[];
}

/** A connection the server accepted (made by `upgrade()`); not for applications. */
export interface AcceptedConnection {
  readonly url: string;
  readonly opened: OpenedConnection;
  readonly protocol: string;
  readonly extensions: string;
  readonly options: ConnectionOptions;
}

export type BinaryType = 'blob' | 'arraybuffer';

type Handler<E extends Event> = ((this: WebSocket, event: E) => unknown) | null;

interface WebSocketEventMap {
  open: Event;
  message: MessageEvent;
  error: Event;
  close: CloseEvent;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isAccepted(value: unknown): value is AcceptedConnection {
  return typeof value === 'object' && value !== null && !(value instanceof URL) && 'opened' in value;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function sizeOf(payload: Uint8Array | string): number {
  return typeof payload === 'string' ? encoder.encode(payload).length : payload.length;
}

/** Bytes of what send() takes (a Blob's are read asynchronously, see `send`). */
function toBytes(data: ArrayBufferLike | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

export class WebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  readonly url: string;
  /** MessageEvent.origin (WHATWG: the URL's origin). */
  #origin = '';
  #binaryType: BinaryType = 'blob';
  #protocol = '';
  #extensions = '';
  #driver: Driver | null = null;
  #handshake: PendingHandshake | null = null;
  /** The handshake failed: CLOSED without a driver. */
  #failed = false;
  #options: ConnectionOptions;
  /** Sends queued behind a Blob being read, in order (WHATWG: sends keep their order). */
  #queued: Array<{ readonly item: Uint8Array | string | Promise<Uint8Array>; readonly size: number }> | null = null;
  #queuedBytes = 0;
  #iterator: MessageIterator | null = null;
  readonly #handlers = new Map<string, EventListener>();

  /** A client: connects to `url` (ws:, wss:, http: or https:). */
  constructor(url: string | URL, protocols?: string | readonly string[] | WebSocketOptions, options?: WebSocketOptions);
  /** @internal A connection `upgrade()` accepted. */
  constructor(accepted: AcceptedConnection);
  constructor(
    target: string | URL | AcceptedConnection,
    protocols?: string | readonly string[] | WebSocketOptions,
    options: WebSocketOptions = {},
  ) {
    super();
    if (isAccepted(target)) {
      this.url = target.url;
      this.#origin = originOf(target.url);
      this.#options = target.options;
      this.#open(target.opened, target.protocol, target.extensions);
      return;
    }
    if (typeof protocols === 'object' && !Array.isArray(protocols)) {
      options = protocols as WebSocketOptions;
      protocols = undefined;
    }
    const url = parseWebSocketUrl(target);
    this.url = url.href;
    this.#origin = url.origin;
    this.#options = options;
    const offered = protocols ?? options.protocols ?? [];
    const list = typeof offered === 'string' ? [offered] : [...(offered as readonly string[])];
    try {
      this.#handshake = startClientHandshake(url, list, options, {
        opened: (opened, protocol, extensions) => {
          this.#handshake = null;
          this.#open(opened, protocol, extensions);
          this.dispatchEvent(new Event('open'));
          // Frames that came with the 101, then reading: after the 'open' listeners.
          this.#driver!.pump();
        },
        failed: (error) => {
          this.#handshake = null;
          this.#failed = true;
          this.#dispatchError(error);
          this.#dispatchClose(1006, '', false);
          this.#iterator?.end(undefined);
        },
      });
    } catch (error) {
      // WHATWG: bad subprotocols are a SyntaxError thrown by the constructor.
      if (error instanceof InvalidArgumentError) throw new DOMException(error.message, 'SyntaxError');
      throw error;
    }
  }

  #open(opened: OpenedConnection, protocol: string, extensions: string): void {
    this.#protocol = protocol;
    this.#extensions = extensions;
    const events: DriverEvents = {
      onMessage: (data, binary) => this.#onMessage(data, binary),
      onPing: () => {},
      onPong: () => {},
      onError: (error) => this.#dispatchError(error),
      onClosed: (event) => this.#onClosed(event),
    };
    this.#driver = bindConnection(opened, this.#options, events);
  }

  /** Starts reading (server side: once the application has its listeners attached). */
  startReading(): void {
    this.#driver?.pump();
  }

  // ---- attributes --------------------------------------------------------------------------

  get readyState(): 0 | 1 | 2 | 3 {
    if (this.#driver !== null) return this.#driver.readyState;
    return this.#failed ? CLOSED : CONNECTING;
  }

  get bufferedAmount(): number {
    return (this.#driver?.bufferedAmount ?? 0) + this.#queuedBytes;
  }

  get protocol(): string {
    return this.#protocol;
  }

  get extensions(): string {
    return this.#extensions;
  }

  get binaryType(): BinaryType {
    return this.#binaryType;
  }

  set binaryType(value: BinaryType) {
    // WHATWG: other values are ignored.
    if (value === 'blob' || value === 'arraybuffer') this.#binaryType = value;
  }

  // ---- methods -----------------------------------------------------------------------------

  /**
   * Sends a text (string) or binary message. Bytes are not copied: do not change them until the
   * message is written (`bufferedAmount` drops). A Blob is read first; later sends wait for it.
   */
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void {
    if (this.readyState === CONNECTING) throw new DOMException('WebSocket is not open: readyState 0 (CONNECTING)', 'InvalidStateError');
    if (data instanceof Blob || this.#queued !== null) {
      const item = typeof data === 'string' ? data : data instanceof Blob ? data.arrayBuffer().then((buffer) => new Uint8Array(buffer)) : toBytes(data);
      const size = data instanceof Blob ? data.size : sizeOf(item as Uint8Array | string);
      (this.#queued ??= []).push({ item, size });
      this.#queuedBytes += size;
      if (this.#queued.length === 1) void this.#drainQueued();
      return;
    }
    this.#sendNow(typeof data === 'string' ? data : toBytes(data));
  }

  #sendNow(payload: Uint8Array | string): void {
    const driver = this.#driver;
    // WHATWG: once closing, sends are counted in bufferedAmount and dropped (sized only then:
    // the usual send encodes a string once, in the core).
    if (driver === null) this.#queuedBytes += sizeOf(payload);
    else if (!driver.isOpen) driver.addUnsent(sizeOf(payload));
    else driver.send(payload, undefined, undefined);
  }

  /** Sends what waited behind a Blob, in order, reading each Blob as it comes. */
  async #drainQueued(): Promise<void> {
    const queued = this.#queued!;
    while (queued.length > 0) {
      const { item, size } = queued[0]!;
      let payload: Uint8Array | string;
      try {
        payload = item instanceof Promise ? await item : item;
      } catch {
        payload = new Uint8Array(0);
      }
      queued.shift();
      this.#queuedBytes -= size;
      this.#sendNow(payload);
    }
    this.#queued = null;
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2). `code` may be any code allowed on the wire
   * (§7.4: 1000-1003, 1007-1014, 3000-4999; browsers allow only 1000 and 3000-4999, a server
   * needs 1001 and 1011), the reason at most 123 bytes of UTF-8. While connecting, the handshake
   * is abandoned.
   */
  close(code?: number, reason?: string): void {
    if (code !== undefined && !(Number.isInteger(code) && isAllowedOnWire(code))) {
      throw new DOMException(`The close code ${code} may not be sent (RFC 6455 §7.4)`, 'InvalidAccessError');
    }
    if (reason !== undefined && encoder.encode(reason).length > 123) {
      throw new DOMException('The close reason must not be longer than 123 bytes of UTF-8', 'SyntaxError');
    }
    if (this.#handshake !== null) {
      this.#handshake.abort('WebSocket was closed before the connection was established');
      return;
    }
    if (this.#driver === null) return;
    this.#driver.close(code ?? (reason !== undefined ? 1000 : undefined), reason);
  }

  /**
   * The messages, as they arrive: strings for text, Uint8Arrays for binary (binaryType does not
   * apply). Ends when the connection closes cleanly, throws on an unclean close. While the loop
   * body is busy, reading is paused once 16 messages wait (backpressure to the peer). Start the
   * loop before the socket opens (client) or right after `upgrade()` (server): earlier messages
   * are not kept for it.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<MessageData> {
    if (this.#iterator !== null) throw new DOMException('Only one message iterator at a time', 'InvalidStateError');
    const iterator = new MessageIterator({
      pause: () => this.#driver?.pause(),
      resume: () => this.#driver?.resume(),
      detach: () => {
        this.#iterator = null;
      },
    });
    if (this.readyState === CLOSED) iterator.end(undefined);
    else this.#iterator = iterator;
    return iterator;
  }

  // ---- events ------------------------------------------------------------------------------

  #onMessage(data: Uint8Array, binary: boolean): void {
    this.#iterator?.push(binary ? data : decoder.decode(data));
    let payload: string | Blob | ArrayBuffer;
    if (!binary) payload = decoder.decode(data);
    else if (this.#binaryType === 'blob') payload = new Blob([data as Uint8Array<ArrayBuffer>]);
    else payload = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : data.slice().buffer;
    this.dispatchEvent(new MessageEvent('message', { data: payload, origin: this.#origin }));
  }

  #dispatchError(error: Error | ProtocolError | WebSocketError): void {
    this.dispatchEvent(new ErrorEvent('error', { message: error.message, error }));
  }

  #onClosed(event: ClosedEvent): void {
    this.#dispatchClose(event.code, event.reason, event.wasClean);
    this.#iterator?.end(event.wasClean ? undefined : new WebSocketClosedError(event.code, event.reason));
  }

  #dispatchClose(code: number, reason: string, wasClean: boolean): void {
    this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean }));
  }

  #setHandler(type: keyof WebSocketEventMap, handler: ((event: never) => unknown) | null): void {
    const old = this.#handlers.get(type);
    if (old !== undefined) this.removeEventListener(type, old);
    if (typeof handler !== 'function') {
      this.#handlers.delete(type);
      return;
    }
    const listener = handler as unknown as EventListener;
    this.#handlers.set(type, listener);
    this.addEventListener(type, listener);
  }

  #getHandler<E extends Event>(type: keyof WebSocketEventMap): Handler<E> {
    return (this.#handlers.get(type) as unknown as Handler<E>) ?? null;
  }

  get onopen(): Handler<Event> {
    return this.#getHandler('open');
  }
  set onopen(handler: Handler<Event>) {
    this.#setHandler('open', handler);
  }
  get onmessage(): Handler<MessageEvent> {
    return this.#getHandler('message');
  }
  set onmessage(handler: Handler<MessageEvent>) {
    this.#setHandler('message', handler);
  }
  get onerror(): Handler<Event> {
    return this.#getHandler('error');
  }
  set onerror(handler: Handler<Event>) {
    this.#setHandler('error', handler);
  }
  get onclose(): Handler<CloseEvent> {
    return this.#getHandler('close');
  }
  set onclose(handler: Handler<CloseEvent>) {
    this.#setHandler('close', handler);
  }

  override addEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: ((this: WebSocket, event: WebSocketEventMap[K]) => unknown) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }
}

/** The message iterator's error when the connection closed without a closing handshake. */
export class WebSocketClosedError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`The WebSocket closed without a closing handshake (code ${code})`);
    this.name = 'WebSocketClosedError';
  }
}
