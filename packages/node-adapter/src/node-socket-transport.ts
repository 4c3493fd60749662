/**
 * A Node socket (net/tls, or any Duplex) as the driver's Transport: the byte-stream half every
 * Node entry point binds the same way. Who listens to the socket, and what its events mean to
 * an API, is the subclass's job (`SocketBinding` for the ws API, WebSocket-Node's transport).
 */
import type { Duplex } from 'node:stream';
import type { Transport, WriteDone } from '@sansock/core/driver';

export class NodeSocketTransport implements Transport {
  constructor(protected readonly socket: Duplex) {}

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
    // A paused socket keeps what arrived in its readable buffer (never strings: no encoding is set).
    const chunk: unknown = this.socket.read();
    return chunk instanceof Uint8Array ? chunk : null;
  }
}
