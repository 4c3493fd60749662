/**
 * The `ws`-compatible WebSocketServer: takes 'upgrade' requests from a Node http/https server
 * (its own, one you pass, or yours via `noServer` + `handleUpgrade`), has the core validate the
 * request and build the 101 or the rejection, and binds the socket to a WebSocket.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type http2 from 'node:http2';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  DEFAULT_MAX_PAYLOAD,
  type Extension,
  type ExtensionFactory,
  HandshakeError,
  type HeaderInput,
  HeaderList,
  type ServerHandshakeOptions,
  type ValidatedRequest,
  createAcceptLines,
  createRejectResponse,
  negotiateExtensions,
  validateClientRequest,
} from '@sansock/core';
import { checkSendHighWaterMark } from '@sansock/core/driver';
import { nativeSha1Base64 } from './accelerators.js';
import { type PerMessageDeflateOptions, createExtensionFactories } from './extension-factories.js';
import { checkExtraOptions } from './extra-options.js';
import { toHeaderPairs } from './headers.js';
import { asWsRejection, chooseProtocol, verifyThen } from './server-decisions.js';
import { type PublishData, type PublishOptions, createTopicRegistry, publish } from './topics/server-topics.js';
import type { PublishCounters } from './topics/shared-frame.js';
import type { TopicRegistry } from './topics/topic-registry.js';
import { type Http2WebSocketServer, attachHttp2Server } from './http2/attach-server.js';
import { acceptStream } from './http2/server-stream.js';
import type { CatchAllListener, TypedListener } from './listener-types.js';
import type { WebSocketOptions } from './types.js';
import { WebSocket } from './websocket.js';

/**
 * Timeouts of the http server we create for `port`: a client that sends its handshake slowly
 * or never finishes it is dropped, at the latest one check interval after the timeout.
 */
export const SERVER_HEADERS_TIMEOUT = 10_000;
export const SERVER_REQUEST_TIMEOUT = 20_000;
export const SERVER_CONNECTIONS_CHECKING_INTERVAL = 1_000;

export interface VerifyClientInfo {
  origin: string | undefined;
  secure: boolean;
  /** The upgrade request (over HTTP/2, RFC 8441: see the README's HTTP/2 section). */
  req: http.IncomingMessage;
}
export type VerifyClientCallbackSync = (info: VerifyClientInfo) => boolean;
export type VerifyClientCallbackAsync = (
  info: VerifyClientInfo,
  callback: (verified: boolean, code?: number, message?: string, headers?: http.OutgoingHttpHeaders) => void,
) => void;

export interface ServerOptions<T extends WebSocket = WebSocket> extends WebSocketOptions {
  host?: string;
  port?: number;
  backlog?: number;
  /** An existing http/https server whose 'upgrade' requests this server handles. */
  server?: http.Server | https.Server;
  /** Handle upgrades yourself with handleUpgrade(). */
  noServer?: boolean;
  /** Only accept requests for this path (the query is ignored). */
  path?: string;
  verifyClient?: VerifyClientCallbackSync | VerifyClientCallbackAsync;
  /** Pick the subprotocol from those offered; a falsy result selects none. */
  handleProtocols?: (protocols: Set<string>, request: http.IncomingMessage) => string | false | null | undefined;
  /** Keep connected clients in `clients`. Default true. */
  clientTracking?: boolean;
  /** Server default: false. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /**
   * A `node:http2` server whose extended CONNECT streams (RFC 8441, WebSockets over HTTP/2) this
   * server takes; SETTINGS_ENABLE_CONNECT_PROTOCOL is turned on for it. Alone, it also serves as
   * `server` (HTTP/1.1 upgrades reaching it, with `allowHTTP1`); or combine it with `port`,
   * `server` or `noServer` for those.
   */
  http2Server?: Http2WebSocketServer;
  /** The class to instantiate for each connection (a subclass of WebSocket). */
  WebSocket?: new (address: null, protocols?: undefined, options?: WebSocketOptions) => T;
}

export interface WebSocketServerEvents<T extends WebSocket = WebSocket> {
  connection: [socket: T, request: http.IncomingMessage];
  headers: [headers: string[], request: http.IncomingMessage];
  listening: [];
  error: [error: Error];
  close: [];
  wsClientError: [error: Error, socket: Duplex, request: http.IncomingMessage];
}

const RUNNING = 0;
const CLOSING = 1;
const CLOSED = 2;

const onHandshakeSocketError = function (this: Duplex): void {
  this.destroy();
};

/** Writes an HTTP rejection built by the core and destroys the socket once it is flushed. */
function rejectHandshake(socket: Duplex, status: number, message?: string, headers?: HeaderInput): void {
  if (!socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(createRejectResponse(status, { message, headers }));
}

type Events<T extends WebSocket> = WebSocketServerEvents<T>;

/**
 * The EventEmitter listener methods: typed by WebSocketServerEvents first, then a catch-all for
 * code written against `@types/ws` (see listener-types.ts). Declared here, merged into the class.
 */
export interface WebSocketServer<T extends WebSocket = WebSocket> {
  on<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  on(event: string | symbol, listener: CatchAllListener): this;
  once<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  once(event: string | symbol, listener: CatchAllListener): this;
  off<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  off(event: string | symbol, listener: CatchAllListener): this;
  addListener<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  addListener(event: string | symbol, listener: CatchAllListener): this;
  removeListener<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  removeListener(event: string | symbol, listener: CatchAllListener): this;
  prependListener<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  prependListener(event: string | symbol, listener: CatchAllListener): this;
  prependOnceListener<K extends keyof Events<T>>(event: K, listener: TypedListener<Events<T>, K, WebSocketServer<T>>): this;
  prependOnceListener(event: string | symbol, listener: CatchAllListener): this;
}

export class WebSocketServer<T extends WebSocket = WebSocket> extends EventEmitter<WebSocketServerEvents<T>> {
  readonly options: ServerOptions<T>;
  /** Connected clients; `undefined` when `clientTracking` is false, like `ws` (typed as `ws`'s `@types` do). */
  readonly clients: Set<T>;
  private server: http.Server | https.Server | null = null;
  private removeServerListeners: (() => void) | null = null;
  private removeHttp2Listeners: (() => void) | null = null;
  private readonly extensionFactories: ExtensionFactory[];
  /** What the core's request check needs, made once rather than per handshake. */
  private readonly handshakeOptions: ServerHandshakeOptions;
  /** `ws.subscribe` / `wss.publish` (see topics/). */
  private readonly topics: TopicRegistry;
  private state = RUNNING;
  private emitCloseWhenEmpty = false;

  constructor(options: ServerOptions<T>, callback?: () => void) {
    super();
    const opts: ServerOptions<T> = {
      allowSynchronousEvents: true,
      autoPong: true,
      // `ws` shows its defaults in `wss.options`; the value is the core's (one source).
      maxPayload: DEFAULT_MAX_PAYLOAD,
      skipUTF8Validation: false,
      perMessageDeflate: false,
      clientTracking: true,
      noServer: false,
      ...options,
    };
    const hasPort = opts.port !== undefined && opts.port !== null;
    // An http2Server given alone is also the server whose HTTP/1.1 upgrades are taken.
    if (opts.http2Server && !hasPort && !opts.server && !opts.noServer) {
      opts.server = opts.http2Server as unknown as http.Server;
    }
    if ((!hasPort && !opts.server && !opts.noServer) || (hasPort && (opts.server || opts.noServer)) || (opts.server && opts.noServer)) {
      throw new TypeError('One and only one of the "port", "server", or "noServer" options must be specified');
    }
    checkExtraOptions(opts);
    this.options = opts;
    if (opts.sendHighWaterMark !== undefined) checkSendHighWaterMark(opts.sendHighWaterMark);
    this.clients = (opts.clientTracking === false ? undefined : new Set()) as Set<T>;
    this.extensionFactories = createExtensionFactories(opts.perMessageDeflate, { role: 'server', maxPayload: opts.maxPayload ?? 0 });
    this.handshakeOptions = { extensions: this.extensionFactories, sha1Base64: nativeSha1Base64 };
    this.topics = createTopicRegistry(opts.perMessageDeflate);

    if (hasPort) {
      const server = http.createServer(
        {
          headersTimeout: SERVER_HEADERS_TIMEOUT,
          requestTimeout: SERVER_REQUEST_TIMEOUT,
          connectionsCheckingInterval: SERVER_CONNECTIONS_CHECKING_INTERVAL,
        },
        (_req, res) => {
          const body = http.STATUS_CODES[426]!;
          res.writeHead(426, { 'Content-Length': body.length, 'Content-Type': 'text/plain' });
          res.end(body);
        },
      );
      server.listen(opts.port, opts.host, opts.backlog, callback);
      this.server = server;
    } else if (opts.server) {
      this.server = opts.server;
    }

    const server = this.server;
    const http2Server = opts.http2Server;
    if (http2Server) {
      this.removeHttp2Listeners = attachHttp2Server(http2Server, (stream, headers) => {
        this.handleStream(stream, headers, (ws, req) => this.emit('connection', ws, req));
      });
    }
    if (server !== null) {
      const onListening = (): void => {
        this.emit('listening');
      };
      const onError = (error: Error): void => {
        this.emit('error', error);
      };
      const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
        // A closure per upgrade, as in `ws`: a subclass's handleUpgrade may call back with `ws` alone.
        this.handleUpgrade(req, socket, head, (ws) => {
          this.emit('connection', ws, req);
        });
      };
      server.on('listening', onListening);
      server.on('error', onError);
      server.on('upgrade', onUpgrade);
      this.removeServerListeners = () => {
        server.removeListener('listening', onListening);
        server.removeListener('error', onError);
        server.removeListener('upgrade', onUpgrade);
      };
    }
  }

  /**
   * The HTTP(S) server this one listens on (ours from `port`, or the `server` option), as `ws`'s
   * private field that applications read; null in noServer mode and once closed. Non-enumerable.
   */
  get _server(): http.Server | https.Server | null {
    return this.server;
  }

  /**
   * Not in `ws` (µWebSockets' `publish`): sends a message to every open socket subscribed to the
   * topic (`ws.subscribe`). The frame is built once, compressed at most once per window size,
   * and the same bytes are written to every member. Returns how many sockets it was written to.
   */
  publish(topic: string, data: PublishData, options?: PublishOptions): number {
    return publish(this.topics, topic, data, options);
  }

  /** How many sockets are subscribed to the topic (µWebSockets' `numSubscribers`). */
  numSubscribers(topic: string): number {
    return this.topics.memberCount(topic);
  }

  /** How much work publishes did: frames built, shared compressions, per-socket sends (tests, monitoring). */
  get publishCounters(): Readonly<PublishCounters> {
    return this.topics.counters;
  }

  /** The bound address of the server (null before it listens). Throws in noServer mode, like `ws`. */
  address(): AddressInfo | string | null {
    if (this.options.noServer) throw new Error('The server is operating in "noServer" mode');
    if (this.server === null) return null;
    return this.server.address();
  }

  /**
   * Stops accepting connections. Like `ws` 8, open connections are not closed: 'close' is
   * emitted once the last tracked client is gone (or when our own http server has closed).
   */
  close(callback?: (error?: Error) => void): void {
    if (this.state === CLOSED) {
      if (callback) this.once('close', () => callback(new Error('The server is not running')));
      process.nextTick(() => this.emitClose());
      return;
    }
    if (callback) this.once('close', callback);
    if (this.state === CLOSING) return;
    this.state = CLOSING;
    const server = this.server;
    this.removeServerListeners?.();
    this.removeServerListeners = null;
    this.removeHttp2Listeners?.();
    this.removeHttp2Listeners = null;
    this.server = null;
    if (this.options.noServer || this.options.server) {
      if (this.clients !== undefined && this.clients.size > 0) this.emitCloseWhenEmpty = true;
      else process.nextTick(() => this.emitClose());
    } else {
      server?.close(() => this.emitClose());
    }
  }

  private emitClose(): void {
    this.state = CLOSED;
    this.emit('close');
  }

  /** Whether this server takes the request (the `path` option). Override to route otherwise. */
  shouldHandle(req: http.IncomingMessage): boolean {
    const path = this.options.path;
    if (path) {
      const url = req.url ?? '';
      const index = url.indexOf('?');
      const pathname = index === -1 ? url : url.slice(0, index);
      if (pathname !== path) return false;
    }
    return true;
  }

  /** Completes (or rejects) an upgrade request; `callback` gets the open WebSocket. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, callback: (ws: T, req: http.IncomingMessage) => void): void {
    socket.on('error', onHandshakeSocketError);
    const validated = validateClientRequest(
      { method: req.method ?? '', target: req.url ?? '', httpVersion: req.httpVersion, headers: requestHeaders(req) },
      this.handshakeOptions,
    );
    if (validated instanceof HandshakeError) {
      this.rejectOrReport(req, socket, validated);
      return;
    }
    if (!this.shouldHandle(req)) {
      rejectHandshake(socket, 400);
      return;
    }

    const verifyClient = this.options.verifyClient;
    if (verifyClient === undefined) {
      this.completeUpgrade(validated, req, socket, head, callback);
      return;
    }
    const info: VerifyClientInfo = {
      origin: validated.origin,
      secure: Boolean((req.socket as { authorized?: boolean }).authorized || (req.socket as { encrypted?: boolean }).encrypted),
      req,
    };
    verifyThen(
      verifyClient,
      info,
      (code, message, headers) => rejectHandshake(socket, code, message, toHeaderPairs(headers)),
      () => this.completeUpgrade(validated, req, socket, head, callback),
    );
  }

  /**
   * Completes (or refuses) a WebSocket over HTTP/2 (RFC 8441): an extended CONNECT stream from
   * a `node:http2` server's 'stream' event (or `req.stream`, `req.headers` in its 'connect'
   * event). `callback` gets the open WebSocket and the request as an `http.IncomingMessage`;
   * 'connection' is the caller's to emit, as with handleUpgrade.
   */
  handleStream(
    stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    callback: (ws: T, req: http.IncomingMessage) => void,
  ): void {
    acceptStream(
      {
        options: this.options,
        extensionFactories: this.extensionFactories,
        isRunning: () => this.state === RUNNING,
        shouldHandle: (req) => this.shouldHandle(req),
        reportClientError: (error, socket, req) => {
          if (this.listenerCount('wsClientError') === 0) return false;
          this.emit('wsClientError', error, socket, req);
          return true;
        },
        emitHeaders: (lines, req) => this.emit('headers', lines, req),
        createWebSocket: () => this.createWebSocket(),
        bind: (ws, stream, head, extensions, protocol) => this.bind(ws, stream, head, extensions, protocol),
      },
      stream,
      headers,
      callback,
    );
  }

  private createWebSocket(): T {
    const Ctor = this.options.WebSocket ?? (WebSocket as unknown as NonNullable<ServerOptions<T>['WebSocket']>);
    return new Ctor(null, undefined, this.options);
  }

  /** Binds an accepted socket (an HTTP/1.1 upgrade or an RFC 8441 stream) with the server's options, and tracks it. */
  private bind(ws: T, socket: Duplex, head: Uint8Array, extensions: readonly Extension[], protocol: string): void {
    ws.setSocket(socket, head, {
      role: 'server',
      extensions,
      protocol,
      allowSynchronousEvents: this.options.allowSynchronousEvents,
      maxPayload: this.options.maxPayload,
      maxFragments: this.options.maxFragments,
      skipUTF8Validation: this.options.skipUTF8Validation,
      topics: this.topics,
    });
    this.track(ws);
  }

  /** Keeps the socket in `clients` until it closes (and the deferred 'close' of the server). */
  private track(ws: T): void {
    if (this.clients === undefined) return;
    this.clients.add(ws);
    ws.on('close', this.untrack);
  }

  /**
   * The 'close' listener of every tracked socket (`this` in it is the socket): one function per
   * server rather than a closure per connection, which an idle server holds thousands of.
   */
  private readonly untrack = ((server: WebSocketServer<T>) =>
    function untrack(this: T): void {
      server.clients.delete(this);
      if (server.emitCloseWhenEmpty && server.clients.size === 0) process.nextTick(() => server.emitClose());
    })(this);

  /** `ws`: if the app listens to 'wsClientError' it decides what to answer; otherwise the HTTP error is sent. */
  private rejectOrReport(req: http.IncomingMessage, socket: Duplex, error: HandshakeError): void {
    const rejection = asWsRejection(error);
    if (this.listenerCount('wsClientError') > 0) {
      this.emit('wsClientError', rejection, socket, req);
      return;
    }
    rejectHandshake(socket, rejection.status ?? 400, rejection.message, rejection.headers);
  }

  private completeUpgrade(
    validated: ValidatedRequest,
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (ws: T, req: http.IncomingMessage) => void,
  ): void {
    // The client may have gone while verifyClient was deciding.
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    if ((socket as { [kBound]?: boolean })[kBound]) {
      throw new Error('server.handleUpgrade() was called more than once with the same socket, possibly due to a misconfiguration');
    }
    if (this.state > RUNNING) {
      rejectHandshake(socket, 503);
      return;
    }

    const negotiated = negotiateExtensions(validated.extensionOffers, this.extensionFactories);
    if (negotiated instanceof HandshakeError) {
      this.rejectOrReport(req, socket, negotiated);
      return;
    }
    const ws = this.createWebSocket();

    const protocol = chooseProtocol(validated.protocols, this.options.handleProtocols, req);
    let lines: string[];
    try {
      lines = createAcceptLines(validated, { protocol, extensionsHeader: negotiated.header, sha1Base64: nativeSha1Base64 });
    } catch (error) {
      for (const extension of negotiated.extensions) extension.dispose?.();
      socket.destroy();
      throw error;
    }
    // The app may add lines (Set-Cookie...) before they are written, like `ws`.
    this.emit('headers', lines, req);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    socket.removeListener('error', onHandshakeSocketError);
    (socket as { [kBound]?: boolean })[kBound] = true;

    this.bind(ws, socket, head, negotiated.extensions, protocol);
    callback(ws, req);
  }
}

const kBound = Symbol('sansock.boundSocket');

/**
 * The request's header fields, as many as Node parsed: `server.maxHeadersCount` cuts
 * `req.headers` (what `ws` reads) but not `rawHeaders`, so the same cut is made here and a
 * field Node dropped counts as missing, as with `ws`. `rawHeaders` is read as it is, not copied.
 */
function requestHeaders(req: http.IncomingMessage): HeaderList {
  const max = (req.socket as { server?: { maxHeadersCount?: number | null } }).server?.maxHeadersCount;
  return HeaderList.fromRaw(req.rawHeaders, typeof max === 'number' && max > 0 ? max : Infinity);
}
