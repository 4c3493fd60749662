/**
 * The WHATWG `WebSocketStream` (the streams-based WebSocket of the WebSockets standard's
 * proposal, whatwg/websockets#48, which Chromium ships): `opened` gives a ReadableStream of
 * messages and a WritableStream that sends them. Built on this package's WebSocket, so
 * backpressure reaches the socket both ways: a readable nobody reads pauses the WebSocket (its
 * socket stops being read and the peer's TCP window fills up), and a write waits, past the
 * socket's `sendHighWaterMark`, until 'drain' (so the writer's `ready` does too).
 */
import { ReadableStream, type ReadableStreamDefaultController, WritableStream, type WritableStreamDefaultController } from 'node:stream/web';
import { CLOSING, CONNECTING, OPEN } from './constants.js';
import { kWasClean } from './event-target.js';
import { type WebSocketCloseInfo, type WebSocketCloseResult, WebSocketError, checkCloseInfo, connectionFailed } from './websocket-error.js';
import { WebSocket, type ClientOptions } from './websocket.js';

/** A message as the readable side delivers it: text as a string, binary as a Uint8Array. */
export type WebSocketStreamMessage = string | Uint8Array;
/** What the writable side accepts: a string is sent as text, bytes as binary. */
export type WebSocketStreamWritable = string | ArrayBuffer | ArrayBufferView;

export interface WebSocketOpenInfo {
  readonly readable: ReadableStream<WebSocketStreamMessage>;
  readonly writable: WritableStream<WebSocketStreamWritable>;
  readonly protocol: string;
  readonly extensions: string;
}

export interface WebSocketStreamOptions extends Omit<ClientOptions, 'protocols'> {
  /** Subprotocols to offer (the standard's option). */
  protocols?: string | string[];
  /** Aborts the handshake; no effect once open (as in the standard). */
  signal?: AbortSignal;
  /**
   * Not in the standard: bytes of messages (string length for text) the readable side queues
   * before the WebSocket stops reading its socket. Default 1 MiB; at least one message is queued.
   */
  readableHighWaterMark?: number;
}

export const DEFAULT_READABLE_HIGH_WATER_MARK = 1024 * 1024;

/** Options for `WebSocketStream.fromWebSocket`. */
export interface FromWebSocketOptions {
  readableHighWaterMark?: number;
}

const sizeOf = (chunk: WebSocketStreamMessage): number => (typeof chunk === 'string' ? chunk.length : chunk.byteLength);

export class WebSocketStream {
  readonly url: string;
  readonly opened: Promise<WebSocketOpenInfo>;
  readonly closed: Promise<WebSocketCloseResult>;
  /** The WebSocket underneath; null when the signal was aborted before the constructor ran. */
  private readonly ws: WebSocket | null;

  constructor(url: string | URL, options: WebSocketStreamOptions = {}) {
    const { signal, protocols, readableHighWaterMark, ...clientOptions } = options;
    let ws: WebSocket | null = null;
    if (signal?.aborted !== true) {
      try {
        ws = new WebSocket(url, protocols === undefined ? [] : protocols, clientOptions);
      } catch (error) {
        // The standard: a URL that cannot be used is a SyntaxError DOMException.
        if (error instanceof SyntaxError) throw new DOMException(error.message, 'SyntaxError');
        throw error;
      }
    }
    this.ws = ws;
    this.url = ws?.url ?? String(url);
    if (ws === null) {
      const reason: unknown = signal!.reason;
      this.opened = handled(Promise.reject(reason));
      this.closed = handled(Promise.reject(reason));
      return;
    }
    const settled = bind(ws, readableHighWaterMark, signal);
    this.opened = settled.opened;
    this.closed = settled.closed;
  }

  /**
   * Not in the standard: a WebSocketStream over a WebSocket of this package, for the server side
   * (`wss.on('connection', (ws) => { const { opened } = WebSocketStream.fromWebSocket(ws) })`)
   * or a client made with options. Call it before the messages you want arrive: right away in
   * the 'connection' listener (messages that came with the handshake are delivered after it).
   */
  static fromWebSocket(ws: WebSocket, options: FromWebSocketOptions = {}): WebSocketStream {
    const stream = Object.create(WebSocketStream.prototype) as { -readonly [K in keyof WebSocketStream]: WebSocketStream[K] } & {
      ws: WebSocket | null;
    };
    const settled = bind(ws, options.readableHighWaterMark, undefined);
    stream.ws = ws;
    stream.url = ws.url ?? '';
    stream.opened = settled.opened;
    stream.closed = settled.closed;
    return stream as unknown as WebSocketStream;
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2), or abandons the handshake while
   * connecting. Throws InvalidAccessError for a code other than 1000 or 3000–4999, SyntaxError
   * for a reason over 123 bytes; a reason without a code sends 1000.
   */
  close(closeInfo?: WebSocketCloseInfo): void {
    if (closeInfo !== undefined && (typeof closeInfo !== 'object' || closeInfo === null)) {
      throw new TypeError('close() takes an object: { closeCode?, reason? }');
    }
    const { closeCode, reason } = checkCloseInfo(closeInfo?.closeCode, closeInfo?.reason);
    closeWith(this.ws, closeCode, reason);
  }
}

function closeWith(ws: WebSocket | null, closeCode: number | undefined, reason: string): void {
  if (ws === null) return;
  if (ws.readyState === CONNECTING) ws.terminate();
  else if (closeCode === undefined) ws.close();
  else ws.close(closeCode, reason);
}

/** abort()/cancel(reason): a WebSocketError's code and reason are sent, anything else closes without a code. */
function closeFor(ws: WebSocket, reason: unknown): void {
  if (reason instanceof WebSocketError && reason.closeCode !== null && reason.closeCode !== 1006) closeWith(ws, reason.closeCode, reason.reason);
  else closeWith(ws, undefined, '');
}

/** Marks a promise as handled: an unobserved `closed` must not crash Node with an unhandled rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function toMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): WebSocketStreamMessage {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (!isBinary) return buffer.toString();
  // A plain Uint8Array view of the same memory (the standard's type; no copy).
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function toSendable(chunk: unknown): string | Uint8Array {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('A WebSocketStream writes strings, ArrayBuffers and ArrayBuffer views');
}

/** Wires the streams and promises to `ws`; returns the promises. */
function bind(
  ws: WebSocket,
  readableHighWaterMark: number | undefined,
  signal: AbortSignal | undefined,
): { opened: Promise<WebSocketOpenInfo>; closed: Promise<WebSocketCloseResult> } {
  let resolveOpened!: (info: WebSocketOpenInfo) => void;
  let rejectOpened!: (reason: unknown) => void;
  let resolveClosed!: (result: WebSocketCloseResult) => void;
  let rejectClosed!: (reason: unknown) => void;
  const opened = handled(
    new Promise<WebSocketOpenInfo>((resolve, reject) => {
      resolveOpened = resolve;
      rejectOpened = reject;
    }),
  );
  const closed = handled(
    new Promise<WebSocketCloseResult>((resolve, reject) => {
      resolveClosed = resolve;
      rejectClosed = reject;
    }),
  );

  let readableController: ReadableStreamDefaultController<WebSocketStreamMessage> | null = null;
  let writableController: WritableStreamDefaultController | null = null;
  /** The readable side was cancelled or closed: messages are dropped. */
  let readableDone = false;
  /** Writes waiting for 'drain' (at most one: the writable's queue holds the others). */
  let drainWaiter: { resolve: () => void; reject: (reason: unknown) => void } | null = null;
  /** writer.close(): resolves once the closing handshake is complete. */
  let closeWaiter: { resolve: () => void; reject: (reason: unknown) => void } | null = null;
  let abortedBy: { reason: unknown } | null = null;

  const readable = new ReadableStream<WebSocketStreamMessage>(
    {
      start(controller) {
        readableController = controller;
      },
      pull() {
        if (ws.isPaused) ws.resume();
      },
      cancel(reason) {
        readableDone = true;
        if (ws.isPaused) ws.resume();
        closeFor(ws, reason);
      },
    },
    { highWaterMark: readableHighWaterMark ?? DEFAULT_READABLE_HIGH_WATER_MARK, size: sizeOf },
  );

  const writable = new WritableStream<WebSocketStreamWritable>(
    {
      start(controller) {
        writableController = controller;
      },
      write(chunk) {
        const payload = toSendable(chunk);
        if (ws.readyState !== OPEN) return Promise.reject(new DOMException('The WebSocket is not open', 'InvalidStateError'));
        if (ws.send(payload)) return undefined;
        // Past the send high-water mark: this write (so the writer's `ready`) waits for 'drain'.
        return new Promise<void>((resolve, reject) => {
          drainWaiter = { resolve, reject };
        });
      },
      close() {
        return new Promise<void>((resolve, reject) => {
          closeWaiter = { resolve, reject };
          closeWith(ws, undefined, '');
        });
      },
      abort(reason) {
        closeFor(ws, reason);
      },
    },
    { highWaterMark: 1 },
  );

  const onMessage = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void => {
    const controller = readableController;
    if (readableDone || controller === null) return;
    controller.enqueue(toMessage(data, isBinary));
    // The queue is full: stop reading the socket until the reader pulls (real backpressure).
    if ((controller.desiredSize ?? 0) <= 0) ws.pause();
  };
  const onDrain = (): void => {
    const waiter = drainWaiter;
    drainWaiter = null;
    waiter?.resolve();
  };
  const onOpen = (): void => {
    signal?.removeEventListener('abort', onAbort);
    resolveOpened({ readable, writable, protocol: ws.protocol, extensions: ws.extensions });
  };
  const onAbort = (): void => {
    if (ws.readyState !== CONNECTING) return;
    abortedBy = { reason: signal!.reason };
    ws.terminate();
  };
  // 'error' is always followed by 'close', which settles everything; listening keeps Node from throwing it.
  const onError = (): void => {};
  const onClose = (code: number, reasonBuffer: Buffer): void => {
    signal?.removeEventListener('abort', onAbort);
    ws.removeListener('message', onMessage);
    ws.removeListener('drain', onDrain);
    ws.removeListener('open', onOpen);
    ws.removeListener('error', onError);
    const clean = ws[kWasClean];
    const reason = reasonBuffer.toString();
    const failure: unknown = abortedBy !== null ? abortedBy.reason : connectionFailed(clean ? 'The WebSocket was closed' : 'The WebSocket connection failed or was not closed cleanly');
    rejectOpened(failure);
    if (clean) {
      resolveClosed({ closeCode: code, reason });
      if (!readableDone) {
        readableDone = true;
        readableController?.close();
      }
      // Writes after a clean close fail: the connection is gone (a close in progress completes).
      if (closeWaiter !== null) closeWaiter.resolve();
      else writableController?.error(new WebSocketError('The WebSocket was closed'));
    } else {
      rejectClosed(failure);
      if (!readableDone) {
        readableDone = true;
        readableController?.error(failure);
      }
      closeWaiter?.reject(failure);
      writableController?.error(failure);
    }
    drainWaiter?.reject(failure);
    drainWaiter = null;
    closeWaiter = null;
  };

  ws.on('message', onMessage);
  ws.on('drain', onDrain);
  ws.on('error', onError);
  ws.on('close', onClose);
  if (ws.readyState === CONNECTING) {
    ws.on('open', onOpen);
    signal?.addEventListener('abort', onAbort, { once: true });
  } else if (ws.readyState === OPEN) {
    onOpen();
  } else {
    // Already closing ('close' settles `closed`) or closed: nothing will be read or written.
    const failure = connectionFailed('The WebSocket is not open');
    rejectOpened(failure);
    if (ws.readyState !== CLOSING) onClose(1006, Buffer.alloc(0));
  }
  return { opened, closed };
}
