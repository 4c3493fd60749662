/** RouterRequest: a WebSocketRequest routed to a handler, with the protocol the route matched already chosen. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { UrlWithParsedQuery } from 'node:url';
import type { WebSocketConnection } from './connection.js';
import type { ICookie, IRequestCookie } from './cookies.js';
import type { WebSocketRequest } from './request.js';
import type { IExtension } from './requested-extensions.js';

/** The router's stand-in for "the client offered no protocol". */
export const NO_PROTOCOL = '____no_protocol____';

export class WebSocketRouterRequest extends EventEmitter {
  readonly webSocketRequest: WebSocketRequest;
  /** The protocol the route matched; null when the client offered none. */
  readonly protocol: string | null;
  readonly origin: string | undefined;
  readonly resource: string;
  readonly resourceURL: UrlWithParsedQuery;
  readonly httpRequest: IncomingMessage;
  readonly remoteAddress: string | undefined;
  readonly webSocketVersion: number;
  readonly requestedExtensions: IExtension[];
  readonly cookies: IRequestCookie[];

  constructor(webSocketRequest: WebSocketRequest, resolvedProtocol: string) {
    super();
    this.webSocketRequest = webSocketRequest;
    this.protocol = resolvedProtocol === NO_PROTOCOL ? null : resolvedProtocol;
    this.origin = webSocketRequest.origin;
    this.resource = webSocketRequest.resource;
    this.resourceURL = webSocketRequest.resourceURL;
    this.httpRequest = webSocketRequest.httpRequest;
    this.remoteAddress = webSocketRequest.remoteAddress;
    this.webSocketVersion = webSocketRequest.webSocketVersion;
    this.requestedExtensions = webSocketRequest.requestedExtensions;
    this.cookies = webSocketRequest.cookies;
  }

  accept(origin?: string, cookies?: ICookie[]): WebSocketConnection {
    const connection = this.webSocketRequest.accept(this.protocol, origin, cookies);
    this.emit('requestAccepted', connection);
    return connection;
  }

  reject(status?: number, reason?: string, extraHeaders?: Record<string, string | number>): void {
    this.webSocketRequest.reject(status, reason, extraHeaders);
    this.emit('requestRejected', this);
  }
}
