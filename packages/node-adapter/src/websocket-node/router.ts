/**
 * WebSocketRouter: sends each request of a WebSocketServer to the handler mounted for its path
 * (an exact string, '*', or a RegExp tested against the pathname) and protocol (or '*');
 * requests no route takes are rejected with 404. Protocols are tried in the client's order.
 */
import { EventEmitter } from 'node:events';
import { NO_PROTOCOL, WebSocketRouterRequest } from './router-request.js';
import type { WebSocketRequest } from './request.js';
import type { WebSocketServer } from './server.js';

export interface IRouterConfig {
  server?: WebSocketServer;
}

export interface RouteHandler {
  path: RegExp;
  pathString: string;
  protocol: string;
  callback: (request: WebSocketRouterRequest) => void;
}

export class WebSocketRouter extends EventEmitter {
  readonly config: IRouterConfig;
  handlers: RouteHandler[] = [];
  server: WebSocketServer | null = null;
  private readonly requestHandler = (request: WebSocketRequest): void => this.handleRequest(request);

  constructor(config?: IRouterConfig) {
    super();
    this.config = { server: undefined, ...config };
    if (this.config.server) this.attachServer(this.config.server);
  }

  attachServer(server: WebSocketServer): void {
    if (!server) throw new Error('You must specify a WebSocketServer instance to attach to.');
    this.server = server;
    server.on('request', this.requestHandler);
  }

  detachServer(): void {
    if (!this.server) throw new Error('Cannot detach from server: not attached.');
    this.server.removeListener('request', this.requestHandler);
    this.server = null;
  }

  /** One handler per path and protocol; no protocol (null/undefined) matches clients that offer none. */
  mount(path: string | RegExp, protocol: string | null | undefined, callback: (request: WebSocketRouterRequest) => void): void {
    if (!path) throw new Error('You must specify a path for this handler.');
    if (!callback) throw new Error('You must specify a callback for this handler.');
    const pattern = this.pathToRegExp(path);
    if (!(pattern instanceof RegExp)) throw new Error('Path must be specified as either a string or a RegExp.');
    const pathString = pattern.toString();
    const lower = (protocol || NO_PROTOCOL).toLowerCase();
    if (this.findHandlerIndex(pathString, lower) !== -1) {
      throw new Error('You may only mount one handler per path/protocol combination.');
    }
    this.handlers.push({ path: pattern, pathString, protocol: lower, callback });
  }

  unmount(path: string | RegExp, protocol?: string | null): void {
    const index = this.findHandlerIndex(this.pathToRegExp(path).toString(), protocol || NO_PROTOCOL);
    if (index === -1) throw new Error('Unable to find a route matching the specified path and protocol.');
    this.handlers.splice(index, 1);
  }

  findHandlerIndex(pathString: string, protocol: string): number {
    const lower = protocol.toLowerCase();
    return this.handlers.findIndex((handler) => handler.pathString === pathString && handler.protocol === lower);
  }

  /** '*' matches every path; any other string matches itself exactly. */
  pathToRegExp(path: string | RegExp): RegExp {
    if (typeof path !== 'string') return path;
    if (path === '*') return /^.*$/;
    return new RegExp(`^${path.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&')}$`);
  }

  handleRequest(request: WebSocketRequest): void {
    const protocols = request.requestedProtocols.length === 0 ? [NO_PROTOCOL] : request.requestedProtocols;
    const pathname = request.resourceURL.pathname ?? '/';
    for (const requested of protocols) {
      const protocol = requested.toLowerCase();
      for (const handler of this.handlers) {
        if (handler.path.test(pathname) && (handler.protocol === protocol || handler.protocol === '*')) {
          handler.callback(new WebSocketRouterRequest(request, protocol));
          return;
        }
      }
    }
    request.reject(404, 'No handler is available for the given request.');
  }
}
