/**
 * A Node socket (net/tls, or any Duplex) as the driver's Transport: the byte-stream half every
 * Node entry point binds the same way. Who listens to the socket, and what its events mean to
 * an API, is the subclass's job (`SocketBinding` for the ws API, WebSocket-Node's transport).
 */
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import type { Transport, WriteDone } from '@sansock/core/driver';

/**
 * Up to this many bytes, several chunks are copied into one Buffer and written with one
 * `socket.write`: cheaper than corking them (an entry per chunk in the stream's buffer, then a
 * writev). A broadcast of small messages (many publishes from one read, to each of many sockets)
 * spent about 8% less CPU per delivery this way (bench/publish-cpu.mjs).
 */
const JOIN_LIMIT = 16 * 1024;

export class NodeSocketTransport implements Transport {
  constructor(protected readonly socket: Duplex) {}

  /** Several frames go out in one syscall: joined when small, else corked. */
  write(chunks: readonly Uint8Array[], done: WriteDone | undefined): void {
    const socket = this.socket;
    if (chunks.length > 1) {
      let total = 0;
      for (let i = 0; i < chunks.length && total <= JOIN_LIMIT; i++) total += chunks[i]!.length;
      if (total <= JOIN_LIMIT) {
        socket.write(Buffer.concat(chunks, total), done);
        return;
      }
    }
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
