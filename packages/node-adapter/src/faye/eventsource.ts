/**
 * faye's server-side EventSource: a `text/event-stream` response written straight to the
 * request's socket (as faye does, so no HTTP framing is added), with `retry`, keep-alive
 * comments every `ping` seconds, and `send(data, { event, id })`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Stream } from 'node:stream';
import type { Socket } from 'node:net';
import { toHeaderPairs } from '../headers.js';
import { CloseEvent, type ErrorEvent, type EventTargetHost, type FayeListener, type MessageEvent, OpenEvent, dispatch } from './event.js';
import type { FayeEventSourceOptions } from './options.js';
import { requestUrl } from './request-url.js';

type ReadyState = 0 | 1 | 3;

export interface EventSourceSendOptions {
  event?: string;
  id?: string | number;
}

export class FayeEventSource extends Stream implements EventTargetHost {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;

  /** faye's defaults, in seconds. */
  readonly DEFAULT_PING = 10;
  readonly DEFAULT_RETRY = 5;

  /** `accept` includes `text/event-stream` on a GET. */
  static isEventSource(request: IncomingMessage): boolean {
    if (request.method !== 'GET') return false;
    return String(request.headers.accept ?? '')
      .split(/\s*,\s*/)
      .includes('text/event-stream');
  }

  onopen: FayeListener<OpenEvent> | null = null;
  onmessage: FayeListener<MessageEvent> | null = null;
  onerror: FayeListener<ErrorEvent> | null = null;
  onclose: FayeListener<CloseEvent> | null = null;

  readonly url: string;
  /** The browser's Last-Event-ID on a reconnection, '' on the first connection. */
  readonly lastEventId: string;
  readyState: ReadyState = 0;
  writable = true;
  private readonly stream: Socket | null;
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(request: IncomingMessage, response: ServerResponse, options: FayeEventSourceOptions = {}) {
    super();
    this.stream = response.socket;
    const ping = options.ping || this.DEFAULT_PING;
    const retry = options.retry || this.DEFAULT_RETRY;
    this.url = requestUrl(request, ['http:', 'https:']);
    const lastEventId = request.headers['last-event-id'];
    this.lastEventId = typeof lastEventId === 'string' ? lastEventId : '';

    const stream = this.stream;
    if (stream === null || !stream.writable) return;
    process.nextTick(() => this.open());
    stream.setTimeout(0);
    stream.setNoDelay(true);
    const extra = toHeaderPairs(options.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.rawWrite(
      'HTTP/1.1 200 OK\r\n' +
        'Content-Type: text/event-stream\r\n' +
        'Cache-Control: no-cache, no-store\r\n' +
        'Connection: close\r\n' +
        extra +
        '\r\n' +
        `retry: ${Math.floor(retry * 1000)}\r\n\r\n`,
    );
    stream.on('drain', () => this.emit('drain'));
    this.pingTimer = setInterval(() => this.ping(), ping * 1000);
    const close = (): void => {
      this.close();
    };
    stream.on('error', close);
    stream.on('end', close);
    stream.on('close', close);
  }

  addEventListener(type: string, listener: FayeListener<never>): void {
    this.on(type, listener as (...args: unknown[]) => void);
  }

  removeEventListener(type: string, listener: FayeListener<never>): void {
    this.removeListener(type, listener as (...args: unknown[]) => void);
  }

  dispatchEvent(event: OpenEvent | CloseEvent): void {
    dispatch(this, event);
  }

  /** A message: every line of `message` as a `data:` field, with optional `event:` and `id:`. */
  send(message: unknown, options: EventSourceSendOptions = {}): boolean {
    if (this.readyState > 1) return false;
    const data = String(message).replace(/(\r\n|\r|\n)/g, '$1data: ');
    let frame = '';
    if (options.event) frame += `event: ${options.event}\r\n`;
    if (options.id) frame += `id: ${options.id}\r\n`;
    frame += `data: ${data}\r\n\r\n`;
    return this.rawWrite(frame);
  }

  /** A comment line: keeps proxies from timing the idle connection out. */
  ping(): boolean {
    return this.rawWrite(':\r\n\r\n');
  }

  write(message: unknown): boolean {
    return this.send(message);
  }

  end(message?: unknown): void {
    if (message !== undefined) this.send(message);
    this.close();
  }

  close(): boolean {
    if (this.readyState > 1) return false;
    this.readyState = 3;
    this.writable = false;
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.stream?.end();
    this.dispatchEvent(new CloseEvent());
    return true;
  }

  private open(): void {
    if (this.readyState !== 0) return;
    this.readyState = 1;
    this.dispatchEvent(new OpenEvent());
  }

  private rawWrite(chunk: string): boolean {
    if (!this.writable || this.stream === null) return false;
    try {
      return this.stream.write(chunk, 'utf8');
    } catch {
      return false;
    }
  }
}
