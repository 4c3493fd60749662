/**
 * WebSocketServer: answers the 'upgrade' events of one or more http(s) servers with
 * WebSocketRequests ('request' event), or accepts them itself with `autoAcceptConnections`,
 * and keeps the list of open connections for broadcasts and shutDown().
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type IServerConfig, type ResolvedServerConfig, SERVER_DEFAULTS } from './config.js';
import type { Stringified, WebSocketConnection } from './connection.js';
import { type HandshakeProblem, WebSocketRequest } from './request.js';

export interface WebSocketServer {
  on(event: 'request', cb: (request: WebSocketRequest) => void): this;
  on(event: 'connect', cb: (connection: WebSocketConnection) => void): this;
  on(event: 'close', cb: (connection: WebSocketConnection, reason: number, desc: string) => void): this;
  on(event: 'upgradeError', cb: (err: Error) => void): this;
  once(event: 'request', cb: (request: WebSocketRequest) => void): this;
  once(event: 'connect', cb: (connection: WebSocketConnection) => void): this;
  once(event: 'close', cb: (connection: WebSocketConnection, reason: number, desc: string) => void): this;
  once(event: 'upgradeError', cb: (err: Error) => void): this;
  addListener(event: 'request', cb: (request: WebSocketRequest) => void): this;
  addListener(event: 'connect', cb: (connection: WebSocketConnection) => void): this;
}

export class WebSocketServer extends EventEmitter {
  config!: ResolvedServerConfig;
  /** Open connections, in the order they were accepted. */
  connections: WebSocketConnection[] = [];
  /** Requests the application has not accepted or rejected yet. */
  pendingRequests: WebSocketRequest[] = [];

  private readonly upgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.handleUpgrade(request, socket, head);

  constructor(config?: IServerConfig) {
    super();
    if (config) this.mount(config);
  }

  /** Starts answering the upgrade requests of `config.httpServer`. */
  mount(config: IServerConfig): void {
    const merged = { ...SERVER_DEFAULTS, ...config };
    if (!merged.httpServer) throw new Error('You must specify an httpServer on which to mount the WebSocket server.');
    const httpServers = Array.isArray(merged.httpServer) ? merged.httpServer : [merged.httpServer];
    this.config = { ...merged, httpServer: httpServers };
    for (const httpServer of httpServers) httpServer.on('upgrade', this.upgradeHandler);
  }

  /** Stops answering upgrades; open connections stay open. */
  unmount(): void {
    for (const httpServer of this.config.httpServer) httpServer.removeListener('upgrade', this.upgradeHandler);
  }

  /** Closes every connection (1000) and rejects every pending request with 503. */
  closeAllConnections(): void {
    for (const connection of [...this.connections]) connection.close();
    for (const request of [...this.pendingRequests]) {
      // Unless the application resolved it in the meantime (rejecting twice would throw).
      process.nextTick(() => {
        if (this.pendingRequests.includes(request)) request.reject(503);
      });
    }
  }

  /** A Buffer goes to everyone as binary, anything else as text. */
  broadcast(data: Buffer | string | Stringified): void {
    if (Buffer.isBuffer(data)) this.broadcastBytes(data);
    else if (typeof data.toString === 'function') this.broadcastUTF(data);
  }

  broadcastUTF(utfData: string | Stringified): void {
    for (const connection of this.connections) connection.sendUTF(utfData);
  }

  broadcastBytes(binaryData: Buffer): void {
    for (const connection of this.connections) connection.sendBytes(binaryData);
  }

  shutDown(): void {
    this.unmount();
    this.closeAllConnections();
  }

  handleUpgrade(httpRequest: IncomingMessage, socket: Duplex, head?: Buffer): void {
    const request = new WebSocketRequest(socket, httpRequest, this.config, head);
    try {
      request.readHandshake();
    } catch (error) {
      const problem = error as HandshakeProblem;
      request.reject(problem.httpCode ?? 400, problem.message, problem.headers);
      // Only if someone listens: an unheard 'error'-like event must not crash the server.
      if (this.listenerCount('upgradeError') > 0) this.emit('upgradeError', problem);
      return;
    }
    this.pendingRequests.push(request);
    request.once('requestAccepted', (connection) => this.handleRequestAccepted(connection));
    request.once('requestResolved', () => this.handleRequestResolved(request));
    socket.once('close', () => this.handleRequestResolved(request));
    if (!this.config.autoAcceptConnections && this.listenerCount('request') > 0) this.emit('request', request);
    else if (this.config.autoAcceptConnections) request.accept(request.requestedProtocols[0], request.origin);
    else request.reject(404, 'No handler is configured to accept the connection.');
  }

  private handleRequestAccepted(connection: WebSocketConnection): void {
    connection.once('close', (reasonCode, description) => {
      const index = this.connections.indexOf(connection);
      if (index !== -1) this.connections.splice(index, 1);
      this.emit('close', connection, reasonCode, description);
    });
    this.connections.push(connection);
    this.emit('connect', connection);
  }

  private handleRequestResolved(request: WebSocketRequest): void {
    const index = this.pendingRequests.indexOf(request);
    if (index !== -1) this.pendingRequests.splice(index, 1);
  }
}
