/**
 * W3CWebSocket: the browser's WebSocket API on top of WebSocketClient, as WebSocket-Node offers
 * it (binary messages arrive as ArrayBuffers, `bufferedAmount` is always 0, and `wasClean` is
 * true for code 1000, as WebSocket-Node computes it). Events are Node's own Event objects.
 */
import type { OutgoingHttpHeaders, RequestOptions } from 'node:http';
import type { IClientConfig } from './config.js';
import type { IBinaryMessage, IUtf8Message, WebSocketConnection } from './connection.js';
import { WebSocketClient } from './client.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export interface IMessageEvent extends Event {
  readonly data: string | ArrayBuffer;
}

export interface ICloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

type Handler<E extends Event> = ((this: W3CWebSocket, event: E) => void) | null;

function withFields<T extends Event>(event: Event, fields: Omit<T, keyof Event>): T {
  return Object.assign(event, fields) as T;
}

export class W3CWebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  onopen: Handler<Event> = null;
  onmessage: Handler<IMessageEvent> = null;
  onerror: Handler<Event> = null;
  onclose: Handler<ICloseEvent> = null;

  private readonly urlValue: string;
  private state: number = CONNECTING;
  private protocolValue: string | undefined = undefined;
  private connection: WebSocketConnection | undefined = undefined;
  private readonly client: WebSocketClient;

  constructor(
    url: string,
    protocols?: string | string[] | null,
    origin?: string | null,
    headers?: OutgoingHttpHeaders | null,
    requestOptions?: RequestOptions | null,
    clientConfig?: IClientConfig,
  ) {
    super();
    this.urlValue = url;
    // The W3C API delivers whole messages only.
    this.client = new WebSocketClient({ ...clientConfig, assembleFragments: true });
    this.client.on('connect', (connection) => this.onConnect(connection));
    this.client.on('connectFailed', () => this.onConnectFailed());
    this.client.connect(url, protocols, origin, headers, requestOptions);
  }

  get url(): string {
    return this.urlValue;
  }
  get readyState(): number {
    return this.state;
  }
  get protocol(): string | undefined {
    return this.protocolValue;
  }
  get extensions(): string {
    return '';
  }
  /** Always 0, as in WebSocket-Node. */
  get bufferedAmount(): number {
    return 0;
  }
  get binaryType(): 'arraybuffer' {
    return 'arraybuffer';
  }
  set binaryType(type: string) {
    if (type !== 'arraybuffer') throw new SyntaxError('just "arraybuffer" type allowed for "binaryType" attribute');
  }

  send(data: string | Buffer | ArrayBuffer | ArrayBufferView): void {
    const connection = this.connection;
    if (this.state !== OPEN || connection === undefined) throw new Error('cannot call send() while not connected');
    if (typeof data === 'string') connection.sendUTF(data);
    else if (Buffer.isBuffer(data)) connection.sendBytes(data);
    else if (ArrayBuffer.isView(data)) connection.sendBytes(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    else if (data instanceof ArrayBuffer) connection.sendBytes(Buffer.from(data));
    else throw new Error('unknown binary data');
  }

  close(code?: number, reason?: string): void {
    if (this.state === CONNECTING) {
      // Reported as failed now; a connection that still completes is closed at once.
      this.onConnectFailed();
      this.client.on('connect', (connection) => (code ? connection.close(code, reason) : connection.close()));
    } else if (this.state === OPEN) {
      this.state = CLOSING;
      if (code) this.connection?.close(code, reason);
      else this.connection?.close();
    }
  }

  private fire(event: Event): void {
    const handler = (this as unknown as Record<string, unknown>)[`on${event.type}`];
    this.dispatchEvent(event);
    if (typeof handler === 'function') (handler as (event: Event) => void).call(this, event);
  }

  private onConnect(connection: WebSocketConnection): void {
    this.state = OPEN;
    this.connection = connection;
    this.protocolValue = connection.protocol;
    connection.on('close', (code, reason) => this.onClose(code, reason));
    connection.on('message', (message) => this.onMessage(message));
    this.fire(new Event('open'));
  }

  private onConnectFailed(): void {
    this.destroy();
    this.state = CLOSED;
    try {
      this.fire(new Event('error'));
    } finally {
      this.fire(withFields<ICloseEvent>(new Event('close'), { code: 1006, reason: 'connection failed', wasClean: false }));
    }
  }

  private onClose(code: number, reason: string): void {
    this.destroy();
    this.state = CLOSED;
    this.fire(withFields<ICloseEvent>(new Event('close'), { code, reason: reason || '', wasClean: code === 1000 }));
  }

  private onMessage(message: IUtf8Message | IBinaryMessage): void {
    const data =
      message.type === 'utf8'
        ? message.utf8Data
        : message.binaryData.buffer.slice(message.binaryData.byteOffset, message.binaryData.byteOffset + message.binaryData.length);
    this.fire(withFields<IMessageEvent>(new Event('message'), { data: data as string | ArrayBuffer }));
  }

  private destroy(): void {
    this.client.removeAllListeners();
    this.connection?.removeAllListeners();
  }
}
