/**
 * What faye's server WebSocket and Client share (faye's `API`): WHATWG-style events, send,
 * ping with a callback on the matching pong, close, and the Stream face (`pipe`, `write`,
 * `end`, 'data', 'end', 'drain'). The lifecycle is the driver's, through SocketBinding; this
 * file only translates it into faye's API.
 */
import { EventEmitter } from 'node:events';
import { Stream, type Duplex } from 'node:stream';
import { type Extension, ProtocolError, type Role } from '@sansock/core';
import type { Driver } from '@sansock/core/driver';
import { accelerators } from '../accelerators.js';
import { SocketBinding } from '../socket-binding.js';
import type { RawData } from '../data.js';
import type { WebSocketEvents } from '../types.js';
import {
  CloseEvent,
  ErrorEvent,
  type EventTargetHost,
  type FayeListener,
  MessageEvent,
  OpenEvent,
  dispatch,
} from './event.js';
import { DEFAULT_MAX_LENGTH, type FayeWebSocketOptions } from './options.js';

type ReadyState = 0 | 1 | 2 | 3;
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** The driver's events as `ws` names them, relayed to the faye facade (SocketBinding speaks `ws`). */
class Relay extends EventEmitter<WebSocketEvents> {
  readonly binaryType = 'nodebuffer' as const;
}

export interface AttachInit {
  readonly role: Role;
  readonly extensions: readonly Extension[];
  readonly protocol: string;
}

export abstract class FayeApi extends Stream implements EventTargetHost {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  /** faye waits this long for the closing handshake (ms). */
  static readonly CLOSE_TIMEOUT = 30_000;

  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  onopen: FayeListener<OpenEvent> | null = null;
  onmessage: FayeListener<MessageEvent> | null = null;
  onerror: FayeListener<ErrorEvent> | null = null;
  onclose: FayeListener<CloseEvent> | null = null;

  /** Stream flags: false once the connection is closed. */
  readable = true;
  writable = true;
  /** The subprotocol the server chose, '' if none. */
  protocol = '';
  url: string;
  /** 'hybi-13' (or 'hybi-8' for a version 8 client), as websocket-driver names it. */
  version = 'hybi-13';

  protected driver: Driver | null = null;
  protected readonly maxLength: number;
  /** Before the handshake completes (CONNECTING) or after it failed (CLOSED); then the driver's. */
  private handshakeState: ReadyState = CONNECTING;
  private closedDispatched = false;
  private readonly queued: Array<string | Buffer> = [];
  /** faye's `ping` option, in seconds: the driver's keep-alive pings on that schedule once open. */
  private readonly pingInterval: number | undefined;
  private pingId = 0;
  private pausedEarly = false;

  protected constructor(url: string, options: FayeWebSocketOptions) {
    super();
    this.url = url;
    this.maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    // faye listens to its own 'error' so that an unhandled one does not throw.
    this.on('error', () => {});
    const ping = options.ping;
    // faye's setInterval would take any number; a keep-alive needs a positive, finite one.
    this.pingInterval = typeof ping === 'number' && Number.isFinite(ping) && ping > 0 ? ping : undefined;
  }

  get readyState(): ReadyState {
    if (this.closedDispatched) return CLOSED;
    if (this.driver === null) return this.handshakeState;
    return this.driver.readyState;
  }

  /** Bytes sent and not yet written to the socket. */
  get bufferedAmount(): number {
    return this.driver?.bufferedAmount ?? 0;
  }

  // ---- EventTarget ---------------------------------------------------------------------------

  addEventListener(type: string, listener: FayeListener<never>): void {
    this.on(type, listener as (...args: unknown[]) => void);
  }

  removeEventListener(type: string, listener: FayeListener<never>): void {
    this.removeListener(type, listener as (...args: unknown[]) => void);
  }

  dispatchEvent(event: OpenEvent | MessageEvent | ErrorEvent | CloseEvent): void {
    dispatch(this, event);
  }

  // ---- the application's calls ---------------------------------------------------------------

  /** Sends a text message (anything but a Buffer becomes a string) or a binary one (a Buffer). */
  send(data: unknown): boolean {
    if (this.readyState > OPEN) return false;
    const message = Buffer.isBuffer(data) ? data : String(data);
    const driver = this.driver;
    // faye queues what is sent before the handshake completes and sends it on open.
    if (driver === null) this.queued.push(message);
    else driver.send(message, undefined, undefined);
    return true;
  }

  /** Sends a ping; `callback` runs when a pong with the same payload arrives. */
  ping(message?: string | Buffer, callback?: () => void): boolean {
    const driver = this.driver;
    if (driver === null || this.readyState > OPEN) return false;
    const payload = message ?? '';
    // websocket-driver: a later ping with the same payload replaces the earlier callback, and
    // a callback never runs if the connection closes first.
    if (callback !== undefined) driver.pingAndWait(payload, (error) => error === null && callback(), { replace: true });
    else driver.ping(payload, undefined);
    return true;
  }

  /** Starts the closing handshake. Like faye, only 1000 and 3000-4999 may be given. */
  close(code?: number, reason?: string): void {
    const closeCode = code ?? 1000;
    if (closeCode !== 1000 && (closeCode < 3000 || closeCode > 4999)) {
      throw new Error(
        "Failed to execute 'close' on WebSocket: The code must be either 1000, or between 3000 and 4999. " +
          `${closeCode} is neither.`,
      );
    }
    const driver = this.driver;
    if (driver === null) {
      // faye drops a connection closed before it opened: 'close' (1006), no 'open'.
      if (this.handshakeState === CONNECTING) this.abortHandshake();
      return;
    }
    driver.close(closeCode, reason ?? '');
  }

  // ---- Stream --------------------------------------------------------------------------------

  write(data: unknown): boolean {
    return this.send(data);
  }

  end(data?: unknown): void {
    if (data !== undefined) this.send(data);
    this.close();
  }

  /** Stops reading the socket (real backpressure), as `pipe()` does when the destination is full. */
  pause(): void {
    if (this.driver === null) this.pausedEarly = true;
    else this.driver.pause();
  }

  resume(): void {
    if (this.driver === null) this.pausedEarly = false;
    else this.driver.resume();
  }

  // ---- for the server and the client -----------------------------------------------------------

  /** Called by close() while the handshake is under way. */
  protected abstract abortHandshake(): void;

  /** The handshake completed: bind the socket to a driver, then 'open', then the queued sends. */
  protected attach(socket: Duplex, head: Uint8Array, init: AttachInit): void {
    this.protocol = init.protocol;
    const relay = new Relay();
    // binaryType 'nodebuffer': every message is a Buffer.
    relay.on('message', (data: RawData, binary: boolean) => {
      const bytes = data as Buffer;
      this.receiveMessage(binary ? bytes : bytes.toString('utf8'));
    });
    // websocket-driver's close event reports the code it failed the connection with (1002,
    // 1009, 1010...) where the core, like `ws`, reports 1006: the failure is kept for 'close'.
    let failure: ProtocolError | undefined;
    relay.on('error', (error: Error) => {
      if (error instanceof ProtocolError) failure = error;
      // The driver reports a failure once, when the connection is already failing (readyState
      // CLOSING); websocket-driver emits it at the same point, so it is not filtered here.
      this.dispatchEvent(new ErrorEvent(error.message));
    });
    relay.on('close', (code: number, reason: Buffer) => {
      if (failure !== undefined) this.finishClose(failure.closeCode, failure.message);
      else this.finishClose(code, reason.toString('utf8'));
    });
    const binding = new SocketBinding(socket, relay, {
      connection: {
        role: init.role,
        maxPayload: this.maxLength,
        ...accelerators,
        extensions: init.extensions,
      },
      closeTimeout: FayeApi.CLOSE_TIMEOUT,
      // faye pings every `ping` seconds whatever the traffic, with payloads "1", "2", ...
      keepAlive:
        this.pingInterval === undefined
          ? undefined
          : { interval: this.pingInterval * 1000, whenIdle: false, payload: () => String(++this.pingId) },
    });
    const driver = binding.driver;
    driver.receiveEarly(head);
    this.driver = driver;
    socket.on('drain', () => this.emit('drain'));
    // SocketBinding drops the socket on an error without an event (as `ws`); faye reports it.
    socket.on('error', (error: Error) => this.emitError(`Network error: ${this.url}: ${error.message}`));
    if (this.pausedEarly) driver.pause();
    this.dispatchEvent(new OpenEvent());
    for (const message of this.queued.splice(0)) driver.send(message, undefined, undefined);
    driver.pump();
  }

  /** The handshake failed: 'error' with `message` (none when the app closed it), then 'close' with 1006 (or `code`). */
  protected failHandshake(message: string, code = 1006, reason = ''): void {
    if (this.handshakeState !== CONNECTING) return;
    if (message !== '') this.emitError(message);
    this.handshakeState = CLOSED;
    this.finishClose(code, reason);
  }

  private receiveMessage(data: string | Buffer): void {
    if (this.readyState > OPEN) return;
    if (this.readable) this.emit('data', data);
    this.dispatchEvent(new MessageEvent(data));
  }

  private emitError(message: string): void {
    if (this.readyState >= CLOSING) return;
    this.dispatchEvent(new ErrorEvent(message));
  }

  private finishClose(code: number, reason: string): void {
    if (this.closedDispatched) return;
    this.closedDispatched = true;
    if (this.readable) this.emit('end');
    this.readable = this.writable = false;
    this.dispatchEvent(new CloseEvent(code, reason));
  }
}
