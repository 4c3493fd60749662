/**
 * WebSocketConnection: WebSocket-Node's connection API over the sansock driver. The driver owns
 * the lifecycle (framing, close handshake and its timer, TCP close order, write batching);
 * this class translates its events into WebSocket-Node's ('message' with `utf8Data` /
 * `binaryData`, 'frame', 'ping' with a cancel function, 'close' with a code and a description)
 * and adds what WebSocket-Node has that `ws` has not: its keep-alive options (the driver's
 * keep-alive does the work), and close codes reported as the code *we* sent when we closed.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ClosedEvent, ProtocolError, WebSocketError } from '@sansock/core';
import { Driver, type DriverEvents, type KeepAliveOptions } from '@sansock/core/driver';
import { accelerators } from '../accelerators.js';
import { asBuffer } from '../data.js';
import { nodeClock } from '../node-clock.js';
import { CLOSE_DESCRIPTIONS, CLOSE_REASONS, isValidCloseReason } from './close-reasons.js';
import type { ConnectionConfig } from './config.js';
import { FrameOpcode, WebSocketFrame } from './frame.js';
import { type NodeSocket, type SocketSink, SocketTransport } from './socket-transport.js';

export interface IUtf8Message {
  type: 'utf8';
  utf8Data: string;
}
export interface IBinaryMessage {
  type: 'binary';
  binaryData: Buffer;
}
export type Message = IUtf8Message | IBinaryMessage;

/** Anything with a toString(): what sendUTF and broadcastUTF take. */
export interface Stringified {
  toString(): string;
}

export type ConnectionState = 'open' | 'peer_requested_close' | 'ending' | 'closed';

type SendCallback = (error?: Error | null) => void;

const {
  CLOSE_REASON_NORMAL,
  CLOSE_REASON_ABNORMAL,
  CLOSE_REASON_PROTOCOL_ERROR,
  CLOSE_REASON_INTERNAL_SERVER_ERROR,
} = CLOSE_REASONS;

/** The largest control frame payload; WebSocket-Node truncates longer ping/pong data. */
const MAX_CONTROL_PAYLOAD = 125;

function toBuffer(data: Buffer | string | Stringified | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  return Buffer.isBuffer(data) ? data : Buffer.from(data.toString(), 'utf8');
}

export interface WebSocketConnection {
  on(event: 'message', cb: (data: Message) => void): this;
  on(event: 'frame', cb: (frame: WebSocketFrame) => void): this;
  on(event: 'close', cb: (code: number, desc: string) => void): this;
  on(event: 'error', cb: (err: Error) => void): this;
  on(event: 'drain' | 'pause' | 'resume', cb: () => void): this;
  on(event: 'ping', cb: (cancel: () => void, binaryPayload: Buffer) => void): this;
  on(event: 'pong', cb: (binaryPayload: Buffer) => void): this;
  once(event: 'message', cb: (data: Message) => void): this;
  once(event: 'frame', cb: (frame: WebSocketFrame) => void): this;
  once(event: 'close', cb: (code: number, desc: string) => void): this;
  once(event: 'error', cb: (err: Error) => void): this;
  once(event: 'drain' | 'pause' | 'resume', cb: () => void): this;
  once(event: 'ping', cb: (cancel: () => void, binaryPayload: Buffer) => void): this;
  once(event: 'pong', cb: (binaryPayload: Buffer) => void): this;
  addListener(event: 'message', cb: (data: Message) => void): this;
  addListener(event: 'close', cb: (code: number, desc: string) => void): this;
}

export class WebSocketConnection extends EventEmitter implements SocketSink, DriverEvents {
  static readonly CLOSE_REASON_NORMAL = 1000;
  static readonly CLOSE_REASON_GOING_AWAY = 1001;
  static readonly CLOSE_REASON_PROTOCOL_ERROR = 1002;
  static readonly CLOSE_REASON_UNPROCESSABLE_INPUT = 1003;
  static readonly CLOSE_REASON_RESERVED = 1004;
  static readonly CLOSE_REASON_NOT_PROVIDED = 1005;
  static readonly CLOSE_REASON_ABNORMAL = 1006;
  static readonly CLOSE_REASON_INVALID_DATA = 1007;
  static readonly CLOSE_REASON_POLICY_VIOLATION = 1008;
  static readonly CLOSE_REASON_MESSAGE_TOO_BIG = 1009;
  static readonly CLOSE_REASON_EXTENSION_REQUIRED = 1010;
  static readonly CLOSE_REASON_INTERNAL_SERVER_ERROR = 1011;
  static readonly CLOSE_REASON_TLS_HANDSHAKE_FAILED = 1015;
  static readonly CLOSE_DESCRIPTIONS = CLOSE_DESCRIPTIONS;

  /**
   * The socket: a net.Socket or tls.TLSSocket from Node's http(s), typed as such like
   * `@types/websocket` does (the constructor also takes any Duplex, for tests and tunnels).
   */
  readonly socket: Socket;
  /** The subprotocol accepted, as WebSocket-Node has it (the lower-cased token on a server). */
  readonly protocol: string | undefined;
  /** Always empty: WebSocket-Node negotiates no extensions. */
  readonly extensions: unknown[];
  readonly config: ConnectionConfig;
  readonly maskOutgoingPackets: boolean;
  remoteAddress: string | undefined;
  remoteAddresses: string[];
  webSocketVersion = 13;
  /** -1 until the connection closes (or close()/drop() is called). */
  closeReasonCode = -1;
  closeDescription: string | null = null;
  closeEventEmitted = false;
  /** The last write could not be flushed at once; 'drain' follows. */
  outputBufferFull = false;

  private readonly driver: Driver;
  private readonly transport: SocketTransport;
  private readonly assembleFragments: boolean;
  /** assembleFragments: false: the pieces of the frame being received, and its opcode. */
  private framePieces: Uint8Array[] = [];
  private frameOpcode = 0;
  /** close() was called: the close event reports our code, as WebSocket-Node does. */
  private closedByUs = false;
  /** A protocol failure the core reported: its close code and message describe the close. */
  private failure: ProtocolError | WebSocketError | undefined = undefined;

  constructor(
    socket: NodeSocket,
    extensions: unknown[],
    protocol: string | undefined,
    maskOutgoingPackets: boolean,
    config: ConnectionConfig,
  ) {
    super();
    this.socket = socket as Socket;
    this.extensions = extensions;
    this.protocol = protocol;
    this.maskOutgoingPackets = maskOutgoingPackets;
    this.config = config;
    this.remoteAddress = socket.remoteAddress;
    this.remoteAddresses = this.remoteAddress === undefined ? [] : [this.remoteAddress];
    this.assembleFragments = config.assembleFragments ?? true;
    socket.setNoDelay?.(config.disableNagleAlgorithm ?? true);
    socket.setTimeout?.(0);
    this.transport = new SocketTransport(socket, this);
    const fragment = config.fragmentOutgoingMessages ?? true;
    const keepAlive = keepAliveOf(config, socket);
    this.driver = new Driver({
      transport: this.transport,
      clock: nodeClock,
      events: this,
      closeTimeout: config.closeTimeout ?? 5000,
      keepAlive,
      connection: {
        // The masking rule follows the role: a client masks, a server does not (§5.1).
        role: maskOutgoingPackets ? 'client' : 'server',
        maxPayload: config.maxReceivedMessageSize ?? 0x100000,
        maxFrameSize: config.maxReceivedFrameSize ?? 0x10000,
        fragmentSize: fragment ? (config.fragmentationThreshold ?? 0x4000) : undefined,
        deliverFragments: !this.assembleFragments,
        // Pongs are ours to send: a 'ping' listener may cancel them.
        autoPong: false,
        ...accelerators,
      },
    });
  }

  /**
   * Bytes that arrived with the handshake. They are delivered on the next tick, once the code
   * that accepted the connection has attached its listeners.
   */
  receiveHead(head: Uint8Array | undefined): void {
    if (head !== undefined && head.length > 0) this.driver.receiveEarly(head);
    process.nextTick(() => this.driver.pump());
  }

  // ---- state -------------------------------------------------------------------------------

  /** True until a close frame is sent or received, or the connection is dropped. */
  get connected(): boolean {
    return !this.closeEventEmitted && this.driver.isOpen;
  }

  get state(): ConnectionState {
    if (this.closeEventEmitted || this.driver.readyState === 3) return 'closed';
    if (this.driver.isOpen) return 'open';
    return this.closedByUs ? 'ending' : 'peer_requested_close';
  }

  /** Bytes sent and not yet flushed to the socket. */
  get bytesWaitingToFlush(): number {
    return this.driver.bufferedAmount;
  }

  // ---- the application's calls -------------------------------------------------------------

  /** A Buffer goes as binary, anything else as its `toString()`, as text. */
  send(data: Buffer | string | Stringified, cb?: SendCallback): void {
    if (Buffer.isBuffer(data)) this.sendBytes(data, cb);
    else if (data !== null && data !== undefined && typeof data.toString === 'function') this.sendUTF(data, cb);
    else throw new Error('Data provided must either be a Node Buffer or implement toString()');
  }

  sendUTF(data: string | Stringified, cb?: SendCallback): void {
    this.sendData(data.toString(), false, cb);
  }

  sendBytes(data: Buffer, cb?: SendCallback): void {
    if (!Buffer.isBuffer(data)) {
      throw new Error('You must pass a Node Buffer object to WebSocketConnection.prototype.sendBytes()');
    }
    this.sendData(data, true, cb);
  }

  ping(data?: Buffer | string | Stringified): void {
    if (!this.driver.isOpen) return;
    this.driver.ping(toBuffer(data).subarray(0, MAX_CONTROL_PAYLOAD), undefined);
  }

  /** An unsolicited pong (a heartbeat), or the answer to a ping whose automatic pong was cancelled. */
  pong(binaryPayload?: Buffer | string): void {
    if (!this.driver.isOpen) return;
    this.driver.pong(toBuffer(binaryPayload).subarray(0, MAX_CONTROL_PAYLOAD), undefined);
  }

  /**
   * Starts the closing handshake. The code defaults to 1000 and must be one an endpoint may send
   * (else this throws, like WebSocket-Node); the description defaults to the code's.
   */
  close(reasonCode?: number, description?: string): void {
    if (!this.connected) return;
    const code = typeof reasonCode === 'number' ? reasonCode : CLOSE_REASON_NORMAL;
    if (!isValidCloseReason(code)) throw new Error(`Close code ${code} is not valid.`);
    const text = typeof description === 'string' ? description : (CLOSE_DESCRIPTIONS[code] ?? '');
    this.closeReasonCode = code;
    this.closeDescription = text;
    this.closedByUs = true;
    this.driver.close(code, text);
  }

  /**
   * Closes at once: a close frame with the code (unless `skipCloseFrame`, or the code may not be
   * sent), the 'close' event now, then the socket is destroyed. Defaults to 1002.
   */
  drop(reasonCode?: number, description?: string, skipCloseFrame?: boolean): void {
    const code = typeof reasonCode === 'number' ? reasonCode : CLOSE_REASON_PROTOCOL_ERROR;
    const text = typeof description === 'string' ? description : (CLOSE_DESCRIPTIONS[code] ?? '');
    this.closeReasonCode = code;
    this.closeDescription = text;
    if (skipCloseFrame !== true && this.driver.isOpen && isValidCloseReason(code)) {
      try {
        this.driver.close(code, text);
      } catch {
        // A description too long for a close frame: the peer gets an empty one instead.
        this.driver.close(code);
      }
    }
    this.emitClose();
    this.driver.terminate();
  }

  /** Stops reading from the socket (the peer's sends then wait in TCP). */
  pause(): void {
    this.driver.pause();
    this.emit('pause');
  }

  resume(): void {
    this.driver.resume();
    this.emit('resume');
  }

  private sendData(data: string | Buffer, binary: boolean, cb: SendCallback | undefined): void {
    if (!this.driver.isOpen) {
      // WebSocket-Node writes to the ended socket and the write fails: the callback hears of it.
      if (cb !== undefined) process.nextTick(cb, new Error('Connection is not open'));
      return;
    }
    this.driver.send(data, { binary }, cb);
    this.outputBufferFull = this.socket.writableNeedDrain;
  }

  private emitClose(): void {
    if (this.closeEventEmitted) return;
    this.closeEventEmitted = true;
    this.emit('close', this.closeReasonCode, this.closeDescription ?? '');
  }

  // ---- SocketSink ----------------------------------------------------------------------------

  onSocketData(chunk: Buffer): void {
    this.driver.receive(chunk);
  }

  onSocketEnd(): void {
    this.driver.transportEnded();
  }

  onSocketError(error: Error): void {
    if (this.closeEventEmitted) return;
    const detail = error as NodeJS.ErrnoException;
    this.closeReasonCode = CLOSE_REASON_ABNORMAL;
    this.closeDescription = `Socket Error: ${detail.syscall} ${detail.code}`;
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.socket.destroy();
  }

  onSocketClose(): void {
    this.driver.transportClosed();
  }

  onSocketDrain(): void {
    this.outputBufferFull = false;
    this.emit('drain');
  }

  // ---- DriverEvents --------------------------------------------------------------------------

  onMessage(data: Uint8Array, binary: boolean): void {
    const bytes = asBuffer(data);
    if (binary) this.emit('message', { type: 'binary', binaryData: bytes } satisfies IBinaryMessage);
    else this.emit('message', { type: 'utf8', utf8Data: bytes.toString('utf8') } satisfies IUtf8Message);
  }

  /**
   * Pieces of one wire frame are joined, so a 'frame' event is a frame, as in WebSocket-Node
   * (a frame is at most maxReceivedFrameSize, so this holds no more than that).
   */
  onFragment(data: Uint8Array, binary: boolean, first: boolean, fin: boolean, frameEnd: boolean): void {
    if (this.framePieces.length === 0) {
      this.frameOpcode = first ? (binary ? FrameOpcode.BINARY : FrameOpcode.TEXT) : FrameOpcode.CONTINUATION;
    }
    if (!frameEnd) {
      this.framePieces.push(data);
      return;
    }
    let payload = data;
    if (this.framePieces.length > 0) {
      this.framePieces.push(data);
      payload = Buffer.concat(this.framePieces);
      this.framePieces = [];
    }
    this.emitFrame(this.frameOpcode, payload, fin);
  }

  onPing(data: Uint8Array): void {
    if (!this.assembleFragments) this.emitFrame(FrameOpcode.PING, data, true);
    const payload = asBuffer(data);
    let cancelled = false;
    if (this.listenerCount('ping') > 0) {
      this.emit('ping', () => {
        cancelled = true;
      }, payload);
    }
    // §5.5.2, and §5.5.1: no pong once our close frame is out (the driver is then not open).
    if (!cancelled && this.driver.isOpen) this.driver.pong(payload, undefined);
  }

  onPong(data: Uint8Array): void {
    if (!this.assembleFragments) this.emitFrame(FrameOpcode.PONG, data, true);
    this.emit('pong', asBuffer(data));
  }

  /** The core failed the connection (it sent the close frame with the code): the close event will say why. */
  onError(error: ProtocolError | WebSocketError): void {
    this.failure = error;
  }

  /** The keep-alive's grace period passed in silence: WebSocket-Node drops with 1006 and no close frame. */
  onKeepAliveTimeout(): void {
    this.drop(CLOSE_REASON_ABNORMAL, 'Peer not responding.', true);
  }

  onClosed(event: ClosedEvent): void {
    // close(), drop() and socket errors set the code first; otherwise the close says what happened.
    if (this.closeReasonCode === -1) {
      const failure = this.failure;
      if (failure !== undefined) {
        this.closeReasonCode = 'closeCode' in failure ? (failure as ProtocolError).closeCode : CLOSE_REASON_INTERNAL_SERVER_ERROR;
        this.closeDescription = failure.message;
      } else if (event.code === CLOSE_REASON_ABNORMAL) {
        this.closeReasonCode = CLOSE_REASON_ABNORMAL;
        this.closeDescription = 'Connection dropped by remote peer.';
      } else {
        this.closeReasonCode = event.code;
        this.closeDescription = event.reason !== '' ? event.reason : (CLOSE_DESCRIPTIONS[event.code] ?? '');
      }
    }
    this.emitClose();
  }

  private emitFrame(opcode: number, data: Uint8Array, fin: boolean): void {
    const frame = new WebSocketFrame(undefined, undefined, this.config);
    frame.opcode = opcode;
    frame.fin = fin;
    frame.mask = !this.maskOutgoingPackets;
    frame.binaryPayload = asBuffer(data);
    frame.length = data.length;
    this.emit('frame', frame);
  }
}

/**
 * WebSocket-Node's keepalive options as the driver's keep-alive (undefined: none). It pings
 * after `keepaliveInterval` ms in which nothing arrived and, with `dropConnectionOnKeepaliveTimeout`
 * (default), drops a peer that sends nothing for `keepaliveGracePeriod` ms after that ping; any
 * byte received counts, as in WebSocket-Node. `useNativeKeepalive` uses TCP's instead.
 */
function keepAliveOf(config: ConnectionConfig, socket: NodeSocket): KeepAliveOptions | undefined {
  if (config.keepalive !== true) return undefined;
  if (config.useNativeKeepalive === true) {
    socket.setKeepAlive?.(true, config.keepaliveInterval);
    return undefined;
  }
  if (typeof config.keepaliveInterval !== 'number') {
    throw new Error('keepaliveInterval must be specified and numeric if keepalive is true.');
  }
  const drop = config.dropConnectionOnKeepaliveTimeout ?? true;
  if (drop && typeof config.keepaliveGracePeriod !== 'number') {
    throw new Error('keepaliveGracePeriod  must be specified and numeric if dropConnectionOnKeepaliveTimeout is true.');
  }
  return { interval: config.keepaliveInterval, timeout: drop ? config.keepaliveGracePeriod : undefined };
}
