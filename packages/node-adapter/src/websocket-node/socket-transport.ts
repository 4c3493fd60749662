/**
 * A Node socket as the driver's Transport, reporting what the socket does to a `SocketSink`
 * (the WebSocketConnection). Unlike the `ws` binding, socket errors are reported (WebSocket-Node
 * emits them as the connection's 'error') and every read is announced (keep-alive counts it).
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Transport, WriteDone } from '@sansock/core/driver';

export interface SocketSink {
  onSocketData(chunk: Buffer): void;
  onSocketEnd(): void;
  onSocketError(error: Error): void;
  onSocketClose(): void;
  onSocketDrain(): void;
}

/** The socket shapes we bind: net.Socket / tls.TLSSocket, or any Duplex (their extra methods are optional). */
export type NodeSocket = Duplex & Partial<Pick<Socket, 'setNoDelay' | 'setTimeout' | 'setKeepAlive' | 'remoteAddress'>>;

export class SocketTransport implements Transport {
  readonly socket: NodeSocket;

  constructor(socket: NodeSocket, sink: SocketSink) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => sink.onSocketData(chunk));
    socket.on('end', () => sink.onSocketEnd());
    socket.on('error', (error: Error) => sink.onSocketError(error));
    socket.on('close', () => sink.onSocketClose());
    socket.on('drain', () => sink.onSocketDrain());
  }

  /** Several frames go out corked, in one syscall. */
  write(chunks: readonly Uint8Array[], done: WriteDone | undefined): void {
    const socket = this.socket;
    const corked = chunks.length > 1;
    if (corked) socket.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) socket.write(chunks[i]!);
    socket.write(chunks[last]!, done);
    if (corked) socket.uncork();
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (this.socket.isPaused()) this.socket.resume();
  }

  get writable(): boolean {
    return this.socket.writable && !this.socket.destroyed;
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  readBuffered(): Uint8Array | null {
    const chunk: unknown = this.socket.read();
    return chunk instanceof Uint8Array ? chunk : null;
  }
}
