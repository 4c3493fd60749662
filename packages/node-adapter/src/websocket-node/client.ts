/**
 * WebSocketClient: opens a connection with Node's http(s).request and an Upgrade. The request
 * headers and the checks of the 101 response are the core's (RFC 6455 §4.1); the events are
 * WebSocket-Node's: 'connect' with a WebSocketConnection, 'connectFailed' with an Error, and
 * 'httpResponse' for a non-101 answer when someone listens for it.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { type ClientRequest as CoreRequest, HandshakeError, createClientRequest, validateServerResponse } from '@sansock/core';
import { toHeaderObject, toHeaderPairs } from '../headers.js';
import { CLIENT_DEFAULTS, type IClientConfig, type ResolvedClientConfig } from './config.js';
import { WebSocketConnection } from './connection.js';

/** Request options WebSocket-Node never takes from `tlsOptions` (they are the request's own). */
const EXCLUDED_TLS_OPTIONS = new Set(['hostname', 'port', 'method', 'path', 'headers']);

/** A URL as a string, a WHATWG URL, or what `url.parse` returns. */
export interface UrlLike {
  protocol?: string | null;
  hostname?: string | null;
  host?: string | null;
  port?: string | number | null;
  pathname?: string | null;
  search?: string | null;
  path?: string | null;
}

export interface WebSocketClient {
  on(event: 'connect', cb: (connection: WebSocketConnection) => void): this;
  on(event: 'connectFailed', cb: (err: Error) => void): this;
  on(event: 'httpResponse', cb: (response: http.IncomingMessage, client: WebSocketClient) => void): this;
  once(event: 'connect', cb: (connection: WebSocketConnection) => void): this;
  once(event: 'connectFailed', cb: (err: Error) => void): this;
  once(event: 'httpResponse', cb: (response: http.IncomingMessage, client: WebSocketClient) => void): this;
  addListener(event: 'connect', cb: (connection: WebSocketConnection) => void): this;
  addListener(event: 'connectFailed', cb: (err: Error) => void): this;
}

export class WebSocketClient extends EventEmitter {
  readonly config: ResolvedClientConfig;
  url: UrlLike | undefined;
  protocols: string[] = [];
  origin: string | undefined;
  secure = false;
  /** The protocol the server chose, after 'connect'. */
  protocol: string | undefined;
  socket: Socket | undefined;
  response: http.IncomingMessage | undefined;
  base64nonce: string | undefined;
  private req: http.ClientRequest | null = null;

  constructor(config?: IClientConfig) {
    super();
    const { tlsOptions, ...rest } = config ?? {};
    this.config = { ...CLIENT_DEFAULTS, ...rest, tlsOptions: { ...tlsOptions } };
    if (this.config.webSocketVersion !== 8 && this.config.webSocketVersion !== 13) {
      throw new Error('Requested webSocketVersion is not supported. Allowed values are 8 and 13.');
    }
  }

  /**
   * Starts the handshake. `protocols`: one or several subprotocols; `origin`: the Origin header;
   * `headers`: extra request headers; `extraRequestOptions`: merged into the http(s).request options.
   */
  connect(
    requestUrl: string | UrlLike,
    protocols?: string | string[] | null,
    origin?: string | null,
    headers?: http.OutgoingHttpHeaders | null,
    extraRequestOptions?: http.RequestOptions | null,
  ): void {
    const list = typeof protocols === 'string' ? (protocols === '' ? [] : [protocols]) : Array.isArray(protocols) ? protocols : [];
    this.protocols = list;
    this.origin = origin ?? undefined;
    const url: UrlLike = typeof requestUrl === 'string' ? new URL(requestUrl) : requestUrl;
    this.url = url;
    if (!url.protocol) throw new Error('You must specify a full WebSocket URL, including protocol.');
    if (!url.hostname) throw new Error('You must specify a full WebSocket URL, including hostname. Relative URLs are not supported.');
    this.secure = url.protocol === 'wss:';
    const defaultPort = this.secure ? '443' : '80';
    const port = url.port === undefined || url.port === null || url.port === '' ? defaultPort : String(url.port);
    const bracketed = url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname;
    const host = port === defaultPort ? bracketed : `${bracketed}:${port}`;
    const path = url.pathname ? `${url.pathname}${url.search ?? ''}` : url.path ? `/${url.path}` : '/';

    const tlsOptions = this.config.tlsOptions;
    const extraHeaders = { ...(this.secure ? tlsOptions.headers : undefined), ...headers };
    let request: CoreRequest;
    try {
      request = createClientRequest({
        host,
        path,
        protocols: list,
        origin: origin ?? undefined,
        headers: toHeaderPairs(extraHeaders),
        protocolVersion: this.config.webSocketVersion === 8 ? 8 : 13,
      });
    } catch (error) {
      // Invalid protocols or headers: thrown synchronously, as WebSocket-Node does.
      throw new Error((error as Error).message);
    }
    this.base64nonce = request.key;

    const requestOptions: https.RequestOptions = { agent: false, ...extraRequestOptions };
    Object.assign(requestOptions, {
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      method: 'GET',
      path,
      headers: toHeaderObject(request.headers),
    });
    if (this.secure) {
      for (const [key, value] of Object.entries(tlsOptions)) {
        if (!EXCLUDED_TLS_OPTIONS.has(key)) (requestOptions as Record<string, unknown>)[key] = value;
      }
    }
    const req = (this.req = (this.secure ? https : http).request(requestOptions));
    const onError = (error: Error): void => {
      this.req = null;
      this.emit('connectFailed', error);
    };
    req.on('error', onError);
    req.on('upgrade', (response: http.IncomingMessage, socket: Socket, head: Buffer) => {
      this.req = null;
      req.removeListener('error', onError);
      this.socket = socket;
      this.response = response;
      this.validateHandshake(request, response, socket, head);
    });
    req.on('response', (response: http.IncomingMessage) => {
      this.req = null;
      if (this.listenerCount('httpResponse') > 0) {
        this.emit('httpResponse', response, this);
        response.socket?.end();
      } else {
        response.resume();
        const dump = Object.entries(response.headers).map(([name, value]) => `${name}: ${String(value)}`);
        this.failHandshake(
          `Server responded with a non-101 status: ${response.statusCode} ${response.statusMessage}\nResponse Headers Follow:\n${dump.join('\n')}\n`,
        );
      }
    });
    req.end();
  }

  /** Cancels a handshake in progress; nothing is emitted. */
  abort(): void {
    const req = this.req;
    if (req === null) return;
    this.req = null;
    req.removeAllListeners('error');
    req.on('error', () => {});
    req.destroy();
  }

  private validateHandshake(request: CoreRequest, response: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const accepted = validateServerResponse(request, { status: 101, headers: toHeaderPairs(response.rawHeaders) });
    if (accepted instanceof HandshakeError) {
      // No connection owns the socket: a late error (ECONNRESET) must not go unheard.
      socket.on('error', () => {});
      this.failHandshake(accepted.message);
      return;
    }
    this.protocol = accepted.protocol === '' ? undefined : accepted.protocol;
    const connection = new WebSocketConnection(socket, [], this.protocol, true, this.config);
    connection.webSocketVersion = this.config.webSocketVersion;
    this.emit('connect', connection);
    connection.receiveHead(head);
  }

  private failHandshake(description: string): void {
    if (this.socket?.writable) this.socket.end();
    this.emit('connectFailed', new Error(description));
  }
}
