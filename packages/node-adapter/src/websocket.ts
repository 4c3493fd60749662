/**
 * The `ws`-compatible WebSocket: the facade only. It parses `ws`'s arguments, keeps what only
 * the API has (binaryType, protocol, extensions, url) and hands everything else to the driver
 * (`@sansock/core/driver`) through the socket binding: readyState, bufferedAmount, the pump,
 * write batching, send callbacks, timers and the close order all live there.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { type Extension, InvalidStateError } from '@sansock/core';
import { DEFAULT_SEND_HIGH_WATER_MARK, type Driver } from '@sansock/core/driver';
import { bindingOptionsFor } from './binding-options.js';
import { type ClientOptions, parseClientArguments } from './client-arguments.js';
import { connectClient } from './client-connect.js';
import { CLOSED, CLOSING, CONNECTING, OPEN, READY_STATE_NAMES, type ReadyState } from './constants.js';
import { checkCloseArguments, sendControlFrame } from './control-frames.js';
import { BINARY_TYPES, type BinaryType, type Data, type Sendable, byteLengthOf, readBlob, toPayload } from './data.js';
import {
  type CloseEvent,
  type ErrorEvent,
  type Event,
  type EventListenerLike,
  type EventSource,
  type MessageEvent,
  type WebSocketEventTypes,
  kWasClean,
} from './event-target.js';
import { connectHttp2Client } from './http2/client-stream.js';
import type { CatchAllListener, TypedListener } from './listener-types.js';
import { type PingAndWaitOptions, type PingPayload, pingAndWait } from './ping-and-wait.js';
import { iterateMessages } from './message-iterator.js';
import { type BrowserEvents, EMULATED_EVENTS, type ListenerOptions, type NativeEventListener, NativeEvents } from './native-events.js';
import { SocketBinding } from './socket-binding.js';
import type { TopicRegistry } from './topics/topic-registry.js';
import type { SendCallback, SendOptions, SocketInit, UpgradeTarget, WebSocketEvents } from './types.js';
import { applyWsPropertyShape } from './websocket-shape.js';
import { toWsError } from './ws-errors.js';

export type { ClientOptions } from './client-arguments.js';
export type { SendCallback, SendOptions, WebSocketEvents, WebSocketOptions } from './types.js';

/** Shared, never mutated: a zero-length Buffer has no bytes to change. */
const NO_REASON = Buffer.alloc(0);
const NO_EXTENSIONS: readonly Extension[] = Object.freeze([]);
const HANDSHAKE_ABORTED = 'WebSocket was closed before the connection was established';

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

export class WebSocket extends EventEmitter<WebSocketEvents> implements EventSource, UpgradeTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  declare readonly CONNECTING: typeof CONNECTING;
  declare readonly OPEN: typeof OPEN;
  declare readonly CLOSING: typeof CLOSING;
  declare readonly CLOSED: typeof CLOSED;

  private binaryTypeValue: BinaryType = 'nodebuffer';
  private protocolValue = '';
  private extensionList: readonly Extension[] = NO_EXTENSIONS;
  /** The client's URL; `undefined` on the server side, like `ws`. */
  private urlValue: string | undefined = undefined;
  /** The upgraded socket, for `_socket` (the driver only knows it as its transport). */
  private socketValue: Duplex | undefined = undefined;
  /** Read when the socket is bound (autoPong, closeTimeout, maxPendingAutoPongs); the driver resolves defaults. */
  private readonly connectionOptions: ClientOptions;
  /** Everything about the open connection; null before the handshake completes (or if it failed). */
  private driver: Driver | null = null;
  /** readyState while there is no driver: CONNECTING, then CLOSING/CLOSED if the handshake failed. */
  private handshakeState: ReadyState = CONNECTING;
  /** Client only, during the handshake: aborts it (set by connectClient). */
  private abortHandshake: ((message: string) => void) | null = null;
  /** Bytes given to `send()` after a failed handshake (once bound, the driver counts them). */
  private unsentBeforeOpen = 0;
  /** The `nativeEvents` option's dispatcher (see native-events.ts); made on first use. */
  private nativeEventsValue: NativeEvents | null = null;
  /**
   * The server's topics (see subscribe); undefined on a client. Every call that writes to this
   * socket first takes its share of the task's publishes (`settle`, topics/publish-batch.ts),
   * so published frames keep their place among its own sends.
   */
  private topicRegistry: TopicRegistry | undefined = undefined;

  /**
   * Client: `new WebSocket(address, protocols?, options?)`. The server creates its instances
   * with `address === null` and binds them with `setSocket`.
   */
  constructor(address: string | URL | null, protocols?: string | string[] | ClientOptions, options?: ClientOptions) {
    super();
    const { options: opts, protocols: list } = parseClientArguments(protocols, options, address !== null);
    this.connectionOptions = opts;
    if (address !== null) {
      // RFC 8441: a stream of a shared HTTP/2 connection instead of an HTTP/1.1 upgrade.
      (opts.http2 === true ? connectHttp2Client : connectClient)(
        {
          websocket: this,
          setUrl: (url) => {
            this.urlValue = url;
          },
          setAbort: (abort) => {
            this.abortHandshake = abort;
          },
          fail: (error) => this.failHandshake(error),
        },
        address,
        list,
        opts,
      );
    }
  }

  // ---- properties ------------------------------------------------------------------------

  get readyState(): ReadyState {
    return this.driver?.readyState ?? this.handshakeState;
  }

  get binaryType(): BinaryType {
    return this.binaryTypeValue;
  }

  set binaryType(type: BinaryType) {
    if (BINARY_TYPES.includes(type)) this.binaryTypeValue = type;
  }

  /** Bytes queued on the socket and not yet sent (plus what was given to `send()` after close). */
  get bufferedAmount(): number {
    this.topicRegistry?.settle(this); // publishes of this task count as soon as they are made
    return this.driver?.bufferedAmount ?? this.unsentBeforeOpen;
  }

  /** Negotiated extension names, comma-separated, like `ws`. */
  get extensions(): string {
    return this.extensionList.map((extension) => extension.name).join(',');
  }

  get isPaused(): boolean {
    return this.driver?.isPaused ?? false;
  }

  /** Not in `ws`: `send()` returns false past this many buffered bytes (the option; default 16 MiB). */
  get sendHighWaterMark(): number {
    return this.connectionOptions.sendHighWaterMark ?? DEFAULT_SEND_HIGH_WATER_MARK;
  }

  get protocol(): string {
    return this.protocolValue;
  }

  get url(): string {
    return this.urlValue as string;
  }

  /**
   * The underlying `net.Socket`/`tls.TLSSocket` once open, as `ws`'s private field that
   * applications read (`ws._socket.remoteAddress`). Non-enumerable; do not write to it.
   */
  get _socket(): Duplex | undefined {
    return this.socketValue;
  }

  /** EventSource, for CloseEvent.wasClean: both close frames were exchanged. */
  get [kWasClean](): boolean {
    return this.driver?.wasClean ?? false;
  }

  // ---- browser-style API -------------------------------------------------------------------

  /**
   * `options`: `once`, as in `ws`; with the `nativeEvents` option also `signal`, `capture` and
   * `passive`, and the events are the runtime's own (see native-events.ts).
   */
  addEventListener<K extends keyof WebSocketEventTypes>(type: K, listener: EventListenerLike<WebSocketEventTypes[K]> | null, options?: ListenerOptions): void;
  /** With `nativeEvents`: a listener typed for the runtime's own events, as browser code is. */
  addEventListener(type: keyof WebSocketEventTypes, listener: NativeEventListener | null, options?: ListenerOptions): void;
  addEventListener(type: keyof WebSocketEventTypes, listener: EventListenerLike<never> | NativeEventListener | null, options?: ListenerOptions): void {
    this.browserEvents().add(this, type, listener, options);
  }

  removeEventListener<K extends keyof WebSocketEventTypes>(type: K, listener: EventListenerLike<WebSocketEventTypes[K]> | null, options?: { capture?: boolean }): void;
  removeEventListener(type: keyof WebSocketEventTypes, listener: NativeEventListener | null, options?: { capture?: boolean }): void;
  removeEventListener(type: keyof WebSocketEventTypes, listener: EventListenerLike<never> | NativeEventListener | null, options?: { capture?: boolean }): void {
    this.browserEvents().remove(this, type, listener, options);
  }

  get onopen(): EventListenerLike<Event> | null {
    return this.browserEvents().get(this, 'open') as EventListenerLike<Event> | null;
  }
  set onopen(handler: ((event: Event) => void) | null) {
    this.browserEvents().set(this, 'open', handler);
  }
  get onmessage(): EventListenerLike<MessageEvent> | null {
    return this.browserEvents().get(this, 'message') as EventListenerLike<MessageEvent> | null;
  }
  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    this.browserEvents().set(this, 'message', handler);
  }
  get onclose(): EventListenerLike<CloseEvent> | null {
    return this.browserEvents().get(this, 'close') as EventListenerLike<CloseEvent> | null;
  }
  set onclose(handler: ((event: CloseEvent) => void) | null) {
    this.browserEvents().set(this, 'close', handler);
  }
  get onerror(): EventListenerLike<ErrorEvent> | null {
    return this.browserEvents().get(this, 'error') as EventListenerLike<ErrorEvent> | null;
  }
  set onerror(handler: ((event: ErrorEvent) => void) | null) {
    this.browserEvents().set(this, 'error', handler);
  }

  /** `ws`'s emulation, or with the `nativeEvents` option the runtime's EventTarget (made on first use). */
  private browserEvents(): BrowserEvents {
    return this.connectionOptions.nativeEvents === true ? (this.nativeEventsValue ??= new NativeEvents(this, () => this[kWasClean])) : EMULATED_EVENTS;
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Sends a message. Not in `ws` (which returns nothing): false once `bufferedAmount` is past
   * `sendHighWaterMark` (or when the socket is not open), and then 'drain' is emitted when it is
   * back at or below: `if (!ws.send(chunk)) await once(ws, 'drain')`.
   */
  send(data: Sendable, callback?: SendCallback): boolean;
  send(data: Sendable, options: SendOptions, callback?: SendCallback): boolean;
  send(data: Sendable, options?: SendOptions | SendCallback, callback?: SendCallback): boolean {
    this.requireNotConnecting();
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    this.topicRegistry?.settle(this);
    const driver = this.driver;
    if (driver === null || !driver.isOpen) {
      this.sendAfterClose(data, callback);
      return false;
    }
    // ws's options are the core's (plus `mask`, which the role decides), with the same defaults:
    // handed over as they are, no copy per message.
    const payload = toPayload(data);
    if (typeof payload === 'string' || payload instanceof Uint8Array) return driver.send(payload, options, callback);
    return driver.sendAsync('message', readBlob(payload), payload.size, options, callback);
  }

  /**
   * Not in `ws`: writes whole frames built once for many sockets (`wss.publish`, see
   * topics/), in order with this socket's other sends. The caller vouches they suit this
   * connection (see `negotiatedExtensions`). False when the socket is not open: nothing is written.
   */
  sendFrames(frames: readonly Uint8Array[], callback?: SendCallback): boolean {
    this.topicRegistry?.settle(this);
    const driver = this.driver;
    if (driver === null || !driver.isOpen) return false;
    driver.sendFrames(frames, callback);
    return true;
  }

  // ---- topics: not in `ws`; µWebSockets' shape (see topics/ and WebSocketServer#publish) ------

  /** Joins a topic of this socket's server; false if already a member or closing. Left on close. */
  subscribe(topic: string): boolean {
    return this.topics('subscribe to').subscribe(this, topic);
  }

  /** Leaves a topic; false if the socket was not a member. */
  unsubscribe(topic: string): boolean {
    return this.topics('unsubscribe from').unsubscribe(this, topic);
  }

  isSubscribed(topic: string): boolean {
    return this.topicRegistry?.isSubscribed(this, topic) ?? false;
  }

  getTopics(): string[] {
    return this.topicRegistry?.topicsOf(this) ?? [];
  }

  private topics(action: string): TopicRegistry {
    if (this.topicRegistry === undefined) throw new InvalidStateError('client', 'not one a WebSocketServer accepted', `${action} a topic`);
    return this.topicRegistry;
  }

  /** Not in `ws`: the negotiated extension instances, for a sender that builds frames itself. */
  get negotiatedExtensions(): readonly Extension[] {
    return this.extensionList;
  }

  ping(data?: Sendable | SendCallback, mask?: boolean | SendCallback, callback?: SendCallback): void {
    this.control('ping', data, mask, callback);
  }

  /**
   * Not in `ws`: sends a ping and resolves with the round trip in ms once the pong with the same
   * payload arrives (RFC 6455 §5.5.3). Rejects if the socket is not open, the timeout passes, or
   * it closes first. Without `data` the payload is one no other ping of this process has.
   */
  pingAndWait(data?: PingPayload, options?: PingAndWaitOptions): Promise<number> {
    this.topicRegistry?.settle(this);
    return pingAndWait(this.driver, this.readyState, data, options);
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
    this.topicRegistry?.settle(this);
    const driver = this.driver;
    if (driver === null || !driver.isOpen) {
      this.sendAfterClose(data, callback);
      return;
    }
    sendControlFrame(driver, kind, toPayload(data), callback);
  }

  /** Starts the closing handshake (RFC 6455 §7.1.2). Throws TypeError/RangeError for a bad code or reason, like `ws`. */
  close(code?: number, reason?: string | Buffer): void {
    this.topicRegistry?.settle(this);
    const driver = this.driver;
    if (driver === null) {
      if (this.handshakeState === CONNECTING) this.stopHandshake();
      return;
    }
    if (driver.isOpen) checkCloseArguments(code, reason);
    // Not open: once both close frames are through (or we failed), this ends the socket.
    driver.close(code, code === undefined ? undefined : reason);
  }

  /** Destroys the socket at once; 'close' follows with 1006 (unless a close frame had arrived). */
  terminate(): void {
    this.topicRegistry?.settle(this);
    const driver = this.driver;
    if (driver !== null) driver.terminate();
    else if (this.handshakeState === CONNECTING) this.stopHandshake();
  }

  /** close()/terminate() while connecting: CLOSING at once, then 'error' and 'close', like `ws`. */
  private stopHandshake(): void {
    const abort = this.abortHandshake;
    if (abort === null) return;
    this.handshakeState = CLOSING;
    abort(HANDSHAKE_ABORTED);
  }

  /**
   * Not in `ws`: `for await (const message of ws)`, each message as `onmessage`'s `event.data`
   * (see message-iterator.ts); a slow loop pauses the socket. Ends with the connection.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Data> {
    return iterateMessages(this);
  }

  /** Stops reading the socket (real backpressure: the peer's TCP window fills up). */
  pause(): void {
    this.driver?.pause();
  }

  resume(): void {
    this.driver?.resume();
  }

  private requireNotConnecting(): void {
    if (this.readyState === CONNECTING) throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
  }

  /** `ws`: after close, sends are counted in bufferedAmount and their callback gets an error. */
  private sendAfterClose(data: Sendable | undefined, callback: SendCallback | undefined): void {
    if (data !== undefined && data !== null && data !== '') {
      const length = byteLengthOf(data);
      if (this.driver !== null) this.driver.addUnsent(length);
      else this.unsentBeforeOpen += length;
    }
    if (callback) {
      const state = this.readyState;
      process.nextTick(callback, new Error(`WebSocket is not open: readyState ${state} (${READY_STATE_NAMES[state]})`));
    }
  }

  // ---- binding the socket --------------------------------------------------------------------

  /** UpgradeTarget: the socket is upgraded (server, or the client's handshake); from here on the driver owns it. */
  setSocket(socket: Duplex, head: Uint8Array, init: SocketInit): void {
    this.protocolValue = init.protocol;
    this.socketValue = socket;
    // One shared empty list for the usual case (no extension negotiated).
    const extensions = init.extensions.length === 0 ? NO_EXTENSIONS : init.extensions;
    this.extensionList = extensions;
    this.topicRegistry = init.topics;
    const driver = new SocketBinding(socket, this, bindingOptionsFor(init, this.connectionOptions, extensions), toWsError).driver;
    // Frames that arrived with the handshake response/request come first (no early message lost).
    driver.receiveEarly(head);
    this.driver = driver;
    this.emit('open');
    // Deliver them after the caller attached its listeners ('connection' runs after this).
    if (head.length > 0) process.nextTick(() => driver.pump());
  }

  /** A connection that never opened failed: 'error', then 'close' (1006). */
  private failHandshake(error: Error): void {
    this.abortHandshake = null;
    this.handshakeState = CLOSING;
    this.emit('error', error);
    this.handshakeState = CLOSED;
    this.emit('close', 1006, NO_REASON);
  }
}

applyWsPropertyShape(WebSocket);
