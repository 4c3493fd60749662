/**
 * WebSocketRequest: one upgrade request waiting for the application to `accept()` or
 * `reject()` it. The request is validated by the core (RFC 6455 §4.2.1); the 101 response is
 * the core's too, with WebSocket-Node's additions (the Origin echo and Set-Cookie headers).
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { type UrlWithParsedQuery, parse as parseUrl } from 'node:url';
import {
  HandshakeError,
  HeaderList,
  type ValidatedRequest,
  createAcceptHeaders,
  reasonPhrase,
  serializeResponse,
  validateClientRequest,
} from '@sansock/core';
import { nativeSha1Base64 } from '../accelerators.js';
import type { ConnectionConfig } from './config.js';
import { WebSocketConnection } from './connection.js';
import { type ICookie, type IRequestCookie, formatSetCookies, parseCookies } from './cookies.js';
import { type IExtension, parseRequestedExtensions } from './requested-extensions.js';
import type { NodeSocket } from './socket-transport.js';

/** What the request reads from its server's config. */
export interface RequestConfig extends ConnectionConfig {
  ignoreXForwardedFor?: boolean;
  parseCookies?: boolean;
  parseExtensions?: boolean;
}

/** A handshake problem: `httpCode` is the status the request is rejected with. */
export interface HandshakeProblem extends Error {
  httpCode?: number;
  headers?: Record<string, string>;
}

/** CR and LF are removed from every header value we are given (no response splitting). */
const CRLF = /[\r\n]/g;

export interface WebSocketRequest {
  on(event: 'requestAccepted', cb: (connection: WebSocketConnection) => void): this;
  on(event: 'requestRejected' | 'requestResolved', cb: (request: this) => void): this;
  once(event: 'requestAccepted', cb: (connection: WebSocketConnection) => void): this;
  once(event: 'requestRejected' | 'requestResolved', cb: (request: this) => void): this;
}

export class WebSocketRequest extends EventEmitter {
  /**
   * The socket: a net.Socket or tls.TLSSocket from Node's http(s), typed as such like
   * `@types/websocket` does (the constructor also takes any Duplex, for tests and tunnels).
   */
  readonly socket: Socket;
  readonly httpRequest: IncomingMessage;
  /** The request-target (path and query). */
  readonly resource: string;
  resourceURL!: UrlWithParsedQuery;
  /** The client's address, or with X-Forwarded-For (unless ignored) the first address it lists. */
  remoteAddress: string | undefined;
  remoteAddresses: string[];
  readonly serverConfig: RequestConfig;
  host: string | undefined;
  key: string | undefined;
  webSocketVersion = 0;
  origin: string | undefined;
  /** Offered subprotocols, lower-cased. */
  requestedProtocols: string[] = [];
  requestedExtensions: IExtension[] = [];
  cookies: IRequestCookie[] = [];

  private readonly head: Buffer | undefined;
  private validated: ValidatedRequest | undefined;
  /** Lower-cased protocol → as the client spelled it (the response echoes its spelling). */
  private protocolFullCase = new Map<string, string>();
  private resolved = false;
  private socketClosing = false;
  private readonly onSocketGone = (): void => {
    this.socketClosing = true;
    this.removeSocketListeners();
  };

  constructor(socket: NodeSocket, httpRequest: IncomingMessage, serverConfig: RequestConfig, head?: Buffer) {
    super();
    this.socket = socket as Socket;
    this.httpRequest = httpRequest;
    this.resource = httpRequest.url ?? '/';
    this.remoteAddress = socket.remoteAddress;
    this.remoteAddresses = this.remoteAddress === undefined ? [] : [this.remoteAddress];
    this.serverConfig = serverConfig;
    this.head = head;
    // A client that hangs up before the app decides: accept() then reports a 1006 close.
    socket.on('end', this.onSocketGone);
    socket.on('close', this.onSocketGone);
    // Until a connection owns the socket, an error (ECONNRESET) only means the client is gone.
    socket.on('error', this.onSocketGone);
  }

  /** Validates the request and fills in its fields; throws a HandshakeProblem. */
  readHandshake(): void {
    const request = this.httpRequest;
    const headers = request.headers;
    this.resourceURL = parseUrl(this.resource, true);
    this.host = headers.host;
    if (!this.host) throw new Error('Client must provide a Host header.');
    const validated = validateClientRequest({
      method: request.method ?? 'GET',
      target: this.resource,
      httpVersion: request.httpVersion,
      headers: HeaderList.fromRaw(request.rawHeaders),
    });
    if (validated instanceof HandshakeError) {
      const problem: HandshakeProblem = new Error(validated.message);
      problem.httpCode = validated.status;
      if (validated.status === 426) problem.headers = { 'Sec-WebSocket-Version': '13' };
      throw problem;
    }
    this.validated = validated;
    this.key = validated.key;
    this.webSocketVersion = validated.version;
    this.origin = validated.origin;
    for (const protocol of validated.protocols) {
      const lower = protocol.toLowerCase();
      this.requestedProtocols.push(lower);
      this.protocolFullCase.set(lower, protocol);
    }
    const forwardedFor = headers['x-forwarded-for'];
    if (!this.serverConfig.ignoreXForwardedFor && typeof forwardedFor === 'string' && forwardedFor !== '') {
      const peer = this.remoteAddress;
      this.remoteAddresses = forwardedFor.split(/,\s*/);
      if (peer !== undefined) this.remoteAddresses.push(peer);
      this.remoteAddress = this.remoteAddresses[0];
    }
    const extensions = headers['sec-websocket-extensions'];
    this.requestedExtensions = this.serverConfig.parseExtensions === false ? [] : parseRequestedExtensions(extensions);
    this.cookies = this.serverConfig.parseCookies === false ? [] : parseCookies(headers.cookie);
  }

  /**
   * Completes the handshake and returns the connection. `acceptedProtocol` must be one the client
   * offered; `allowedOrigin` is echoed back; `cookies` become Set-Cookie headers. A bad protocol
   * or cookie rejects the request with 500 and throws.
   */
  accept(acceptedProtocol?: string | null, allowedOrigin?: string, cookies?: ICookie[]): WebSocketConnection {
    this.verifyUnresolved();
    const validated = this.validated;
    if (validated === undefined) throw new Error('The request was not read: call readHandshake() first.');
    const headers: Array<[string, string]> = [];
    let protocol = '';
    if (acceptedProtocol) {
      protocol = this.protocolFullCase.get(acceptedProtocol.toLowerCase()) ?? acceptedProtocol;
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(protocol)) {
        this.reject(500);
        throw new Error(`Illegal character in subprotocol ${JSON.stringify(protocol)}.`);
      }
      if (!this.requestedProtocols.includes(acceptedProtocol)) {
        this.reject(500);
        throw new Error('Specified protocol was not requested by the client.');
      }
    }
    if (allowedOrigin) {
      headers.push([this.webSocketVersion === 8 ? 'Sec-WebSocket-Origin' : 'Origin', allowedOrigin.replace(CRLF, '')]);
    }
    if (cookies) {
      const setCookies = formatSetCookies(cookies);
      if (setCookies instanceof Error) {
        this.reject(500);
        throw setCookies;
      }
      for (const value of setCookies) headers.push(['Set-Cookie', value]);
    }
    // The core builds the 101 (Sec-WebSocket-Accept, the protocol) and checks every field.
    const response = serializeResponse(101, createAcceptHeaders(validated, { protocol, headers, sha1Base64: nativeSha1Base64 }));
    this.resolved = true;
    this.emit('requestResolved', this);

    const connection = new WebSocketConnection(this.socket, [], acceptedProtocol ?? undefined, false, this.serverConfig);
    connection.webSocketVersion = this.webSocketVersion;
    connection.remoteAddress = this.remoteAddress;
    connection.remoteAddresses = this.remoteAddresses;
    if (this.socketClosing) {
      // The client left before we answered: the connection exists (the API returns one) and closes at once.
      process.nextTick(() => connection.drop(1006, 'TCP connection lost before handshake completed.', true));
    } else {
      this.removeSocketListeners();
      this.socket.write(response);
      connection.receiveHead(this.head);
    }
    this.emit('requestAccepted', connection);
    return connection;
  }

  /** Answers with `status` (default 403), the reason as X-WebSocket-Reject-Reason, and `extraHeaders`, then closes. */
  reject(status?: number, reason?: string, extraHeaders?: Record<string, string | number>): void {
    this.verifyUnresolved();
    this.resolved = true;
    this.emit('requestResolved', this);
    const code = typeof status === 'number' ? status : 403;
    let text = `HTTP/1.1 ${code} ${reasonPhrase(code)}\r\nConnection: close\r\n`;
    if (reason) text += `X-WebSocket-Reject-Reason: ${reason.replace(CRLF, '')}\r\n`;
    if (extraHeaders) {
      for (const [name, value] of Object.entries(extraHeaders)) {
        text += `${name.replace(CRLF, '')}: ${String(value).replace(CRLF, '')}\r\n`;
      }
    }
    this.socket.end(`${text}\r\n`, 'latin1');
    this.emit('requestRejected', this);
  }

  private verifyUnresolved(): void {
    if (this.resolved) throw new Error('WebSocketRequest may only be accepted or rejected one time.');
  }

  private removeSocketListeners(): void {
    this.socket.removeListener('end', this.onSocketGone);
    this.socket.removeListener('close', this.onSocketGone);
    if (!this.socketClosing) this.socket.removeListener('error', this.onSocketGone);
  }
}
