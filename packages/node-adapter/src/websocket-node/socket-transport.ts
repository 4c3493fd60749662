/**
 * A Node socket as the driver's Transport, reporting what the socket does to a `SocketSink`
 * (the WebSocketConnection). Unlike the `ws` binding, socket errors are reported (WebSocket-Node
 * emits them as the connection's 'error') and every read is announced (keep-alive counts it).
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { NodeSocketTransport } from '../node-socket-transport.js';

export interface SocketSink {
  onSocketData(chunk: Buffer): void;
  onSocketEnd(): void;
  onSocketError(error: Error): void;
  onSocketClose(): void;
  onSocketDrain(): void;
}

/** The socket shapes we bind: net.Socket / tls.TLSSocket, or any Duplex (their extra methods are optional). */
export type NodeSocket = Duplex & Partial<Pick<Socket, 'setNoDelay' | 'setTimeout' | 'setKeepAlive' | 'remoteAddress'>>;

export class SocketTransport extends NodeSocketTransport {
  constructor(socket: NodeSocket, sink: SocketSink) {
    super(socket);
    socket.on('data', (chunk: Buffer) => sink.onSocketData(chunk));
    socket.on('end', () => sink.onSocketEnd());
    socket.on('error', (error: Error) => sink.onSocketError(error));
    socket.on('close', () => sink.onSocketClose());
    socket.on('drain', () => sink.onSocketDrain());
  }
}
