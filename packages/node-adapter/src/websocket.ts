/**
 * The `ws`-compatible WebSocket: binds a net/tls socket (or any Duplex) to a core `Connection`.
 * Socket bytes go to `receiveData`, events come out of `nextEvent` and are emitted with `ws`'s
 * arguments, and whatever `takeOutput` returns is written to the socket. The protocol rules
 * (framing, close handshake, UTF-8, limits) all live in the core; this file owns the I/O:
 * timers, backpressure, write callbacks and the `ws` event order.
 */
import { EventEmitter } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type ClosedEvent,
  Connection,
  type ConnectionEvent,
  DONE,
  type Extension,
  InvalidArgumentError,
  MAX_CLOSE_REASON_BYTES,
  NEED_DATA,
  PENDING,
  isAllowedOnWire,
} from '@sansock/core';
import { accelerators } from './accelerators.js';
import { type ClientOptions, connectClient } from './client-connect.js';
import {
  CLOSED,
  CLOSE_TIMEOUT,
  CLOSING,
  CONNECTING,
  MAX_PENDING_AUTO_PONGS,
  OPEN,
  READY_STATE_NAMES,
  type ReadyState,
  kClientHandshake,
  kEmitErrorAndClose,
  kFlushQueued,
  kOnSocketClose,
  kOnSocketData,
  kOnSocketEnd,
  kSetSocket,
  kWebSocket,
  kSetUrl,
  kWasClean,
} from './constants.js';
import { BINARY_TYPES, type BinaryType, type RawData, type Sendable, asBuffer, byteLengthOf, toPayload, toRawData } from './data.js';
import {
  type CloseEvent,
  type ErrorEvent,
  type Event,
  type EventListenerLike,
  type EventSource,
  type MessageEvent,
  type WebSocketEventTypes,
  addEventListener,
  getAttributeListener,
  removeEventListener,
  setAttributeListener,
} from './event-target.js';
import type { CatchAllListener, TypedListener } from './listener-types.js';
import type { createWebSocketStream as CreateWebSocketStream } from './stream.js';
import type { WebSocketServer as WebSocketServerClass } from './server.js';

export type { ClientOptions } from './client-connect.js';

/** The EventEmitter events and their arguments, exactly as `ws` emits them. */
export interface WebSocketEvents {
  open: [];
  message: [data: RawData, isBinary: boolean];
  close: [code: number, reason: Buffer];
  error: [error: Error];
  ping: [data: Buffer];
  pong: [data: Buffer];
  upgrade: [response: IncomingMessage];
  'unexpected-response': [request: ClientRequest, response: IncomingMessage];
  redirect: [url: string, request: ClientRequest];
}

/** Options every WebSocket has, on both sides. */
export interface WebSocketOptions {
  /** Let 'message', 'ping' and 'pong' be emitted several times in one tick. Default true (as `ws` ≥ 8.17). */
  allowSynchronousEvents?: boolean;
  /** Answer pings automatically. Default true. */
  autoPong?: boolean;
  /** Automatic pongs allowed to wait for the socket before the peer is terminated (a ping flood). Default 60; 0 = no limit. */
  maxPendingAutoPongs?: number;
  /** Milliseconds to wait for the peer's side of the closing handshake. Default 30000. */
  closeTimeout?: number;
  /** Largest message in bytes. Default 100 MiB. */
  maxPayload?: number;
  /**
   * Most frames one message may arrive in; more close the connection with 1009 (as `ws` 8.23's
   * option of the same name, which closes with 1008). 0 = no limit. Default 524,288 for a
   * client, 131,072 for a server (see the README's Limits).
   */
  maxFragments?: number;
  /** Do not validate UTF-8 of text messages. Default false. */
  skipUTF8Validation?: boolean;
}

export interface SendOptions {
  /** Default: true for bytes, false for strings. */
  binary?: boolean;
  /** Compress the message if permessage-deflate was negotiated. Default true. */
  compress?: boolean;
  /** False leaves the message open: the next send continues it. Default true. */
  fin?: boolean;
  /** Accepted for `ws` compatibility; clients always mask and servers never do (RFC 6455 §5.1). */
  mask?: boolean;
}

export type SendCallback = (error?: Error) => void;

/** What the server or the client handshake hands over once the socket is upgraded. */
export interface SocketInit {
  readonly role: 'client' | 'server';
  readonly extensions: readonly Extension[];
  readonly protocol: string;
  readonly allowSynchronousEvents?: boolean;
  readonly maxPayload?: number;
  readonly maxFragments?: number;
  readonly skipUTF8Validation?: boolean;
}

/** The socket shapes we bind: net.Socket / tls.TLSSocket, or any Duplex (their extra methods are optional). */
type BoundSocket = Duplex & {
  setNoDelay?: (noDelay?: boolean) => unknown;
  setTimeout?: (timeout: number) => unknown;
  /** The WebSocket the socket carries, for the shared socket listeners below. */
  [kWebSocket]?: WebSocket;
};

/*
 * Socket listeners shared by every connection (the socket points back at its WebSocket), rather
 * than four closures per connection: an idle server holds thousands of these.
 */
function onSocketData(this: BoundSocket, chunk: Buffer): void {
  this[kWebSocket]?.[kOnSocketData](chunk);
}
function onSocketEnd(this: BoundSocket): void {
  this[kWebSocket]?.[kOnSocketEnd]();
}
function onSocketError(this: BoundSocket): void {
  // Like `ws`: a socket error (ECONNRESET...) is not an 'error' event; 'close' reports 1006.
  this.destroy();
}
function onSocketClose(this: BoundSocket): void {
  this.removeListener('data', onSocketData);
  this[kWebSocket]?.[kOnSocketClose]();
}

/** Shared, never mutated: a zero-length Buffer has no bytes to change. */
const NO_REASON = Buffer.alloc(0);
const NO_EXTENSIONS: readonly Extension[] = Object.freeze([]);

type WriteCallback = (error?: Error | null) => void;

/** How many pump() calls are emitting events right now (they nest when a listener resumes a socket). */
let listenersRunning = 0;
/** Sockets sent to by a listener of another socket, written when the outermost pump returns. */
const socketsToFlush: WebSocket[] = [];

/**
 * Writes what listeners sent to sockets other than their own. (A function of the module, not a
 * static method: a class that names itself in its body gets renamed by the bundler.)
 */
function flushQueuedSockets(): void {
  // A flush runs no listener synchronously (write callbacks are asynchronous), so the queue
  // cannot grow while it is drained; index anyway in case it ever does.
  for (let i = 0; i < socketsToFlush.length; i++) socketsToFlush[i]![kFlushQueued]();
  socketsToFlush.length = 0;
}

/**
 * The EventEmitter listener methods: typed by WebSocketEvents first, then a catch-all for code
 * written against `@types/ws` (see listener-types.ts). Declared here, merged into the class.
 */
export interface WebSocket {
  on<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  on(event: string | symbol, listener: CatchAllListener): this;
  once<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  once(event: string | symbol, listener: CatchAllListener): this;
  off<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  off(event: string | symbol, listener: CatchAllListener): this;
  addListener<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  addListener(event: string | symbol, listener: CatchAllListener): this;
  removeListener<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  removeListener(event: string | symbol, listener: CatchAllListener): this;
  prependListener<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  prependListener(event: string | symbol, listener: CatchAllListener): this;
  prependOnceListener<K extends keyof WebSocketEvents>(event: K, listener: TypedListener<WebSocketEvents, K, WebSocket>): this;
  prependOnceListener(event: string | symbol, listener: CatchAllListener): this;
}

export class WebSocket extends EventEmitter<WebSocketEvents> implements EventSource {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  declare readonly CONNECTING: typeof CONNECTING;
  declare readonly OPEN: typeof OPEN;
  declare readonly CLOSING: typeof CLOSING;
  declare readonly CLOSED: typeof CLOSED;
  /** Set by the package entry point, like `ws`'s `WebSocket.WebSocketServer`. */
  declare static WebSocket: typeof WebSocket;
  declare static WebSocketServer: typeof WebSocketServerClass;
  /** `ws`'s older name for WebSocketServer (`new WebSocket.Server(...)`). */
  declare static Server: typeof WebSocketServerClass;
  declare static createWebSocketStream: typeof CreateWebSocketStream;

  private state: ReadyState = CONNECTING;
  private binaryTypeValue: BinaryType = 'nodebuffer';
  private protocolValue = '';
  private extensionList: readonly Extension[] = NO_EXTENSIONS;
  private urlValue = '';
  private readonly isServer: boolean;
  private readonly autoPong: boolean;
  private readonly maxPendingAutoPongs: number;
  private readonly closeTimeout: number;
  private allowSynchronousEvents = true;

  private socket: BoundSocket | null = null;
  private connection: Connection | null = null;
  private closeTimer: NodeJS.Timeout | undefined;
  private userPaused = false;
  /** allowSynchronousEvents: false: the next event waits for setImmediate. */
  private deferred = false;
  private pumping = false;
  /** In `socketsToFlush`: sent from another socket's listener, written when that listener returns. */
  private flushQueued = false;
  private transportGone = false;
  private errorEmitted = false;
  private wasClean = false;
  private closeCode = 1006;
  private closeReason: Buffer = NO_REASON;
  /** Bytes `send()` was given when it could not send (counted in bufferedAmount, like `ws`). */
  private unsentBytes = 0;
  private pendingAutoPongs = 0;
  /** Write bookkeeping: callbacks fire once the socket has flushed the write that carried their frame. */
  private writeSeq = 0;
  private writtenSeq = 0;
  /** Created on first use: most connections never pass a send callback. */
  private awaitingOutput: WriteCallback[] | null = null;
  private awaitingWrite: Array<{ readonly seq: number; readonly callback: WriteCallback }> | null = null;
  /** Client only: aborts the opening handshake (set by connectClient). */
  [kClientHandshake]: { abort: (message: string) => void } | null = null;

  /**
   * Client: `new WebSocket(address, protocols?, options?)`. The server creates its instances
   * with `address === null` and binds them with the upgraded socket.
   */
  constructor(address: string | URL | null, protocols?: string | string[] | ClientOptions, options?: ClientOptions) {
    super();
    let opts: ClientOptions = options ?? {};
    let list: string[] = [];
    if (protocols !== undefined && !Array.isArray(protocols) && typeof protocols === 'object' && protocols !== null) {
      opts = protocols;
    } else if (Array.isArray(protocols)) {
      list = protocols;
    } else if (protocols !== undefined) {
      list = [protocols];
    }
    if (protocols === undefined || (typeof protocols === 'object' && !Array.isArray(protocols))) {
      const fromOptions = opts.protocols;
      if (fromOptions !== undefined) list = Array.isArray(fromOptions) ? fromOptions : [fromOptions];
    }
    this.autoPong = opts.autoPong ?? true;
    this.maxPendingAutoPongs = opts.maxPendingAutoPongs ?? MAX_PENDING_AUTO_PONGS;
    this.closeTimeout = opts.closeTimeout ?? CLOSE_TIMEOUT;
    this.isServer = address === null;
    if (address !== null) connectClient(this, address, list, opts);
  }

  // ---- properties ------------------------------------------------------------------------

  get readyState(): ReadyState {
    return this.state;
  }

  get binaryType(): BinaryType {
    return this.binaryTypeValue;
  }

  set binaryType(type: BinaryType) {
    if (BINARY_TYPES.includes(type)) this.binaryTypeValue = type;
  }

  /** Bytes queued on the socket and not yet sent (plus what was given to `send()` after close). */
  get bufferedAmount(): number {
    return (this.socket?.writableLength ?? 0) + (this.connection?.outputBytes ?? 0) + this.unsentBytes;
  }

  /** Negotiated extension names, comma-separated, like `ws`. */
  get extensions(): string {
    return this.extensionList.map((extension) => extension.name).join(',');
  }

  get isPaused(): boolean {
    return this.userPaused;
  }

  get protocol(): string {
    return this.protocolValue;
  }

  get url(): string {
    return this.urlValue;
  }

  /** Internal, for CloseEvent.wasClean: both close frames were exchanged. */
  get [kWasClean](): boolean {
    return this.wasClean;
  }

  /** Internal: the client handshake records the URL it connects to. */
  [kSetUrl](url: string): void {
    this.urlValue = url;
  }

  // ---- browser-style API -------------------------------------------------------------------

  addEventListener<K extends keyof WebSocketEventTypes>(
    type: K,
    listener: EventListenerLike<WebSocketEventTypes[K]> | null,
    options?: { once?: boolean },
  ): void {
    addEventListener(this, type, listener, options);
  }

  removeEventListener<K extends keyof WebSocketEventTypes>(type: K, listener: EventListenerLike<WebSocketEventTypes[K]> | null): void {
    removeEventListener(this, type, listener);
  }

  get onopen(): EventListenerLike<Event> | null {
    return getAttributeListener(this, 'open') as EventListenerLike<Event> | null;
  }
  set onopen(handler: ((event: Event) => void) | null) {
    setAttributeListener(this, 'open', handler);
  }
  get onmessage(): EventListenerLike<MessageEvent> | null {
    return getAttributeListener(this, 'message') as EventListenerLike<MessageEvent> | null;
  }
  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    setAttributeListener(this, 'message', handler);
  }
  get onclose(): EventListenerLike<CloseEvent> | null {
    return getAttributeListener(this, 'close') as EventListenerLike<CloseEvent> | null;
  }
  set onclose(handler: ((event: CloseEvent) => void) | null) {
    setAttributeListener(this, 'close', handler);
  }
  get onerror(): EventListenerLike<ErrorEvent> | null {
    return getAttributeListener(this, 'error') as EventListenerLike<ErrorEvent> | null;
  }
  set onerror(handler: ((event: ErrorEvent) => void) | null) {
    setAttributeListener(this, 'error', handler);
  }

  // ---- sending -------------------------------------------------------------------------------

  send(data: Sendable, callback?: SendCallback): void;
  send(data: Sendable, options: SendOptions, callback?: SendCallback): void;
  send(data: Sendable, options?: SendOptions | SendCallback, callback?: SendCallback): void {
    this.requireNotConnecting();
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    const connection = this.openConnection();
    if (connection === null) {
      this.sendAfterClose(data, callback);
      return;
    }
    // ws's options are the core's (plus `mask`, which the role decides), with the same defaults:
    // handed over as they are, no copy per message.
    connection.send(toPayload(data), options);
    if (callback) this.awaitOutput(callback as WriteCallback);
    this.flushSoon();
  }

  /**
   * Sends made while listeners run go out when the outermost pump returns: an echo server's
   * replies to one read leave in one write, and a broadcast from a 'message' listener costs one
   * write per client per read instead of one per message. Outside listeners, sends are written
   * at once, as in `ws`.
   */
  private flushSoon(): void {
    if (this.pumping) return; // pump() flushes when it is done
    if (listenersRunning === 0) {
      this.flush();
    } else if (!this.flushQueued) {
      this.flushQueued = true;
      socketsToFlush.push(this);
    }
  }

  /** Internal: leaves the flush queue and writes (see flushSoon and flushQueuedSockets). */
  [kFlushQueued](): void {
    this.flushQueued = false;
    this.flush();
  }

  ping(data?: Sendable | SendCallback, mask?: boolean | SendCallback, callback?: SendCallback): void {
    this.control('ping', data, mask, callback);
  }

  pong(data?: Sendable | SendCallback, mask?: boolean | SendCallback, callback?: SendCallback): void {
    this.control('pong', data, mask, callback);
  }

  private control(
    kind: 'ping' | 'pong',
    data: Sendable | SendCallback | undefined,
    mask: boolean | SendCallback | undefined,
    callback: SendCallback | undefined,
  ): void {
    this.requireNotConnecting();
    if (typeof data === 'function') {
      callback = data;
      data = undefined;
    } else if (typeof mask === 'function') {
      callback = mask;
    }
    const connection = this.openConnection();
    if (connection === null) {
      this.sendAfterClose(data, callback);
      return;
    }
    try {
      if (kind === 'ping') connection.ping(toPayload(data));
      else connection.pong(toPayload(data));
    } catch (error) {
      // `ws` throws a RangeError for a control payload over 125 bytes.
      if (error instanceof InvalidArgumentError) throw new RangeError(error.message);
      throw error;
    }
    if (callback) this.awaitOutput(callback as WriteCallback);
    this.flushSoon();
  }

  /** Starts the closing handshake (RFC 6455 §7.1.2). Throws TypeError/RangeError for a bad code or reason, like `ws`. */
  close(code?: number, reason?: string | Buffer): void {
    if (this.state === CLOSED) return;
    if (this.state === CONNECTING) {
      this[kClientHandshake]?.abort('WebSocket was closed before the connection was established');
      return;
    }
    const connection = this.connection;
    if (this.state === CLOSING || connection === null || connection.state !== 'OPEN') {
      // Both close frames are through (or we failed): nothing left but to end the transport.
      if (connection !== null && (connection.state === 'CLOSE_EXCHANGED' || connection.state === 'FAILED')) this.socket?.end();
      return;
    }
    if (code !== undefined && (typeof code !== 'number' || !isAllowedOnWire(code))) {
      throw new TypeError('First argument must be a valid error code number');
    }
    if (reason !== undefined && Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) {
      throw new RangeError(`The message must not be greater than ${MAX_CLOSE_REASON_BYTES} bytes`);
    }
    connection.close(code, code === undefined ? undefined : reason);
    this.state = CLOSING;
    // The core also asks for the timer (start-close-timer); starting it here covers a paused socket.
    this.startCloseTimer();
    this.flush();
    this.pump();
  }

  /** Destroys the socket at once; 'close' follows with 1006 (unless a close frame had arrived). */
  terminate(): void {
    if (this.state === CLOSED) return;
    if (this.state === CONNECTING) {
      this[kClientHandshake]?.abort('WebSocket was closed before the connection was established');
      return;
    }
    this.state = CLOSING;
    // Frames already sent reach the socket first, as they would have with `ws` (which writes at once).
    this.flush();
    this.socket?.destroy();
  }

  /** Stops reading the socket (real backpressure: the peer's TCP window fills up). */
  pause(): void {
    if (this.state === CONNECTING || this.state === CLOSED) return;
    this.userPaused = true;
    this.socket?.pause();
  }

  resume(): void {
    if (this.state === CONNECTING || this.state === CLOSED) return;
    this.userPaused = false;
    this.pump();
  }

  private requireNotConnecting(): void {
    if (this.state === CONNECTING) throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
  }

  private openConnection(): Connection | null {
    const connection = this.connection;
    return this.state === OPEN && connection !== null && connection.state === 'OPEN' ? connection : null;
  }

  /** `ws`: after close, sends are counted in bufferedAmount and their callback gets an error. */
  private sendAfterClose(data: Sendable | undefined, callback: SendCallback | undefined): void {
    if (data !== undefined && data !== null && data !== '') this.unsentBytes += byteLengthOf(data);
    if (callback) {
      const state = this.state;
      process.nextTick(callback, new Error(`WebSocket is not open: readyState ${state} (${READY_STATE_NAMES[state]})`));
    }
  }

  // ---- binding the socket --------------------------------------------------------------------

  /** Internal: the socket is upgraded; from here on the core owns the protocol. */
  [kSetSocket](socket: Duplex, head: Uint8Array, init: SocketInit): void {
    const bound = socket as BoundSocket;
    this.socket = bound;
    this.protocolValue = init.protocol;
    // One shared empty list for the usual case (no extension negotiated).
    const extensions = init.extensions.length === 0 ? NO_EXTENSIONS : init.extensions;
    this.extensionList = extensions;
    this.allowSynchronousEvents = init.allowSynchronousEvents ?? true;
    this.connection = new Connection({
      role: init.role,
      maxPayload: init.maxPayload,
      maxFragments: init.maxFragments,
      skipUTF8Validation: init.skipUTF8Validation,
      autoPong: this.autoPong,
      ...accelerators,
      extensions,
      // Only asynchronous extension codecs wake the connection: no closure for plain ones.
      onWake:
        extensions.length === 0
          ? undefined
          : () => {
              this.flush();
              this.pump();
            },
    });
    bound.setTimeout?.(0);
    bound.setNoDelay?.(true);
    bound[kWebSocket] = this;
    bound.on('data', onSocketData);
    bound.on('end', onSocketEnd);
    bound.on('close', onSocketClose);
    bound.on('error', onSocketError);
    // Frames that arrived with the handshake response/request come first (no early message lost).
    if (head.length > 0) this.connection.receiveData(head);
    this.state = OPEN;
    this.emit('open');
    // Deliver buffered frames after the caller attached its listeners ('connection' runs after this).
    if (head.length > 0) process.nextTick(() => this.pump());
  }

  /** Internal: a connection that never opened failed: 'error', then 'close' (1006). */
  [kEmitErrorAndClose](error: Error): void {
    this.state = CLOSING;
    this.errorEmitted = true;
    this.emit('error', error);
    this.emitClose();
  }

  /** Internal: bytes arrived (see the shared onSocketData). */
  [kOnSocketData](chunk: Buffer): void {
    if (this.transportGone) return;
    this.connection?.receiveData(chunk);
    this.pump();
  }

  /** Internal: the peer will send nothing more; like `ws`, end our side too. */
  [kOnSocketEnd](): void {
    this.state = this.state === CLOSED ? CLOSED : CLOSING;
    this.socket?.end();
  }

  /** Internal: the TCP connection is gone. */
  [kOnSocketClose](): void {
    const socket = this.socket;
    const connection = this.connection;
    if (socket === null || connection === null) return;
    this.transportGone = true;
    this.clearCloseTimer();
    // Bytes the socket buffered while paused are still part of the conversation.
    for (let chunk: unknown = socket.read(); chunk !== null; chunk = socket.read()) {
      if (chunk instanceof Uint8Array) connection.receiveData(chunk);
    }
    connection.receiveData(null);
    if (this.state !== CLOSED) this.state = CLOSING;
    this.pump();
  };

  /** Pulls events from the core and emits them; stops while paused (the socket is paused too). */
  private pump(): void {
    const connection = this.connection;
    if (connection === null || this.pumping) return;
    this.pumping = true;
    listenersRunning++;
    try {
      for (;;) {
        // Once the transport is gone everything left is delivered, paused or not (like `ws`).
        if ((this.userPaused || this.deferred) && !this.transportGone) break;
        const event = connection.nextEvent();
        // PENDING: a codec is at work. Input waits only behind a decode, so only then is the
        // socket paused (input cannot pile up); while our sends are being compressed, everything
        // received has been processed and reading goes on, as with NEED_DATA.
        if (event === PENDING && connection.isReceiving) {
          this.socket?.pause();
          break;
        }
        if (event === NEED_DATA || event === PENDING) {
          if (!this.userPaused && this.socket?.isPaused()) this.socket.resume();
          break;
        }
        if (event === DONE) break;
        this.handle(event);
        if (!this.allowSynchronousEvents && (event.type === 'message' || event.type === 'ping' || event.type === 'pong')) {
          this.deferred = true;
          setImmediate(() => {
            this.deferred = false;
            this.pump();
          });
        }
      }
    } finally {
      this.pumping = false;
      this.flush();
      // The outermost pump writes what its listeners sent to other sockets (even if one threw).
      if (--listenersRunning === 0 && socketsToFlush.length > 0) flushQueuedSockets();
    }
  }

  private handle(event: ConnectionEvent): void {
    switch (event.type) {
      case 'message':
        this.emit('message', toRawData(event.data, event.binary, this.binaryTypeValue), event.binary);
        break;
      case 'fragment':
        break; // deliverFragments is off
      case 'ping':
        if (this.autoPong) this.countAutoPong();
        this.emit('ping', asBuffer(event.data));
        break;
      case 'pong':
        this.emit('pong', asBuffer(event.data));
        break;
      case 'close':
        // The peer's close frame; the core has queued our answer.
        this.closeCode = event.code;
        this.closeReason = Buffer.from(event.reason);
        this.state = CLOSING;
        break;
      case 'error':
        this.state = CLOSING;
        if (!this.errorEmitted) {
          this.errorEmitted = true;
          this.emit('error', event.error);
        }
        break;
      case 'start-close-timer':
        this.startCloseTimer();
        break;
      case 'close-transport':
        this.flush();
        this.socket?.end();
        // A peer that never closes its side cannot hold the socket: destroy it after the timeout.
        this.startCloseTimer();
        break;
      case 'closed':
        this.onClosed(event);
        break;
    }
  }

  /**
   * The core has answered a ping (RFC 6455 §5.5.2, when the connection is open); until that pong
   * is written it counts as pending. A peer that pings faster than it reads our pongs is cut off.
   */
  private countAutoPong(): void {
    if (this.maxPendingAutoPongs > 0 && this.pendingAutoPongs >= this.maxPendingAutoPongs) {
      this.terminate();
      return;
    }
    this.pendingAutoPongs++;
    this.awaitOutput(() => {
      this.pendingAutoPongs--;
    });
  }

  private onClosed(event: ClosedEvent): void {
    this.wasClean = event.wasClean;
    this.closeCode = event.code;
    this.closeReason = Buffer.from(event.reason);
    this.emitClose();
  }

  private emitClose(): void {
    this.clearCloseTimer();
    this.state = CLOSED;
    this.failCallbacks(new Error('WebSocket is not open: readyState 3 (CLOSED)'));
    this.emit('close', this.closeCode, this.closeReason);
  }

  private startCloseTimer(): void {
    if (this.closeTimer !== undefined || this.transportGone) return;
    this.closeTimer = setTimeout(() => this.socket?.destroy(), this.closeTimeout);
  }

  private clearCloseTimer(): void {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Writes what the core produced, corked into one syscall, then ties waiting callbacks to it. */
  private flush(): void {
    const connection = this.connection;
    const socket = this.socket;
    if (connection === null || socket === null) return;
    const chunks = connection.takeOutput();
    if (chunks.length > 0 && socket.writable && !socket.destroyed) {
      const corked = chunks.length > 1;
      if (corked) socket.cork();
      const last = chunks.length - 1;
      for (let i = 0; i < last; i++) socket.write(chunks[i]!);
      const seq = ++this.writeSeq;
      socket.write(chunks[last]!, (error) => this.onWritten(seq, error));
      if (corked) socket.uncork();
    }
    this.settleCallbacks();
  }

  /** Calls `callback` once what was sent so far has been written (see settleCallbacks). */
  private awaitOutput(callback: WriteCallback): void {
    (this.awaitingOutput ??= []).push(callback);
  }

  /** Once no encode is in flight, every message sent so far is in a write issued up to writeSeq. */
  private settleCallbacks(): void {
    const callbacks = this.awaitingOutput;
    if (callbacks === null || callbacks.length === 0 || this.connection === null || this.connection.isSending) return;
    const seq = this.writeSeq;
    this.awaitingOutput = [];
    for (const callback of callbacks) {
      if (seq <= this.writtenSeq) process.nextTick(callback);
      else (this.awaitingWrite ??= []).push({ seq, callback });
    }
  }

  private onWritten(seq: number, error: Error | null | undefined): void {
    if (seq > this.writtenSeq) this.writtenSeq = seq;
    const waiting = this.awaitingWrite;
    while (waiting !== null && waiting.length > 0 && waiting[0]!.seq <= seq) {
      waiting.shift()!.callback(error ?? undefined);
    }
  }

  private failCallbacks(error: Error): void {
    const callbacks = [...(this.awaitingWrite ?? []).map((entry) => entry.callback), ...(this.awaitingOutput ?? [])];
    this.awaitingWrite = null;
    this.awaitingOutput = null;
    for (const callback of callbacks) process.nextTick(callback, error);
  }
}

for (const [name, value] of [
  ['CONNECTING', CONNECTING],
  ['OPEN', OPEN],
  ['CLOSING', CLOSING],
  ['CLOSED', CLOSED],
] as const) {
  Object.defineProperty(WebSocket.prototype, name, { enumerable: true, value });
}
