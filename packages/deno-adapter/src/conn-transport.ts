/**
 * A Deno.Conn as the driver's Transport: a read loop that stops while the driver is paused, and
 * a write queue where each batch is awaited before the next (`bufferedAmount` is what
 * `conn.write` has not taken yet, counted down as each write returns). Everything about the
 * lifecycle is the driver's; this file only turns Deno's promise-based reads and writes into the
 * driver's calls, and makes sure the Conn is closed on every path.
 */
import type { Transport, WriteDone } from '@sansock/core/driver';
import type { DenoConn } from './deno-api.js';

/** What the transport reports to (the driver). */
export interface TransportSink {
  receive(chunk: Uint8Array): void;
  transportEnded(): void;
  transportClosed(): void;
}

/**
 * Reads land in a per-connection slab, each read in the part after the previous one, so a read
 * costs no allocation and the core may keep views of what it was given. Deno reads into a
 * buffer handed over *before* data arrives, so an idle connection holds its pending read's
 * buffer: reads start small and grow (up to MAX_READ) only while they come back full.
 */
const MIN_READ = 4 * 1024;
const MAX_READ = 256 * 1024;
/** A slab holds this many reads of the current size. */
const READS_PER_SLAB = 4;
/** Batches up to this size are joined into one buffer: one `conn.write` (one syscall) instead of one per frame. */
const JOIN_LIMIT = 64 * 1024;

interface Batch {
  readonly chunks: readonly Uint8Array[];
  readonly bytes: number;
  /** Absent when nobody waits for this write (the driver asks only for send callbacks and automatic pongs). */
  readonly done: WriteDone | undefined;
}

const connClosed = (): Error => new Error('The connection was closed before the data was written');

export class ConnTransport implements Transport {
  private sink: TransportSink | null = null;
  private slab = new Uint8Array(0);
  private slabOffset = 0;
  private readSize = MIN_READ;
  /** A read is in flight (or the loop is about to issue one). */
  private reading = false;
  private paused = false;
  /** Chunks that arrived while paused: delivered on resume, or handed over by `readBuffered`. */
  private held: Uint8Array[] = [];
  private readEnded = false;
  private queue: Batch[] = [];
  private queuedBytes = 0;
  private writing = false;
  private endRequested = false;
  private writeEnded = false;
  private closed = false;

  constructor(private readonly conn: DenoConn) {
    // Small frames go out at once (Nagle would hold an echo's reply back for the peer's ACK).
    try {
      conn.setNoDelay?.(true);
    } catch {
      // Not a TCP connection (a test pipe, a Unix socket): nothing to turn off.
    }
  }

  /** Set once, right after the driver is created (the driver needs the transport first). */
  bind(sink: TransportSink): void {
    this.sink = sink;
  }

  // ---- reading -----------------------------------------------------------------------------

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    if (this.reading || this.readEnded || this.closed) return;
    this.reading = true;
    // Never deliver from inside resume(): the driver calls it from its pump, which would then
    // miss what it is handed. The loop starts on a microtask.
    queueMicrotask(() => void this.readLoop());
  }

  readBuffered(): Uint8Array | null {
    return this.held.shift() ?? null;
  }

  private async readLoop(): Promise<void> {
    const sink = this.sink!;
    while (!this.closed) {
      if (this.paused) {
        this.reading = false;
        return;
      }
      const held = this.held.shift();
      if (held !== undefined) {
        sink.receive(held);
        continue;
      }
      const buffer = this.readBuffer();
      let count: number | null;
      try {
        count = await this.conn.read(buffer);
      } catch {
        // A reset (ECONNRESET), or our own close(): either way the connection is gone.
        this.destroy();
        return;
      }
      if (this.closed) return;
      if (count === null) {
        this.reading = false;
        this.readEnded = true;
        sink.transportEnded();
        this.closeIfDone();
        return;
      }
      // Bulk transfer: a full read asks for a bigger one; a small one for less.
      if (count === buffer.length) this.readSize = Math.min(this.readSize * 2, MAX_READ);
      else if (count < this.readSize / 4) this.readSize = Math.max(this.readSize / 2, MIN_READ);
      const chunk = buffer.subarray(0, count);
      // Whole 8-byte steps, so the next read starts aligned (the core may view words).
      this.slabOffset += (count + 7) & ~7;
      if (this.paused) this.held.push(chunk);
      else sink.receive(chunk);
    }
    this.reading = false;
  }

  private readBuffer(): Uint8Array {
    const size = this.readSize;
    if (this.slab.length - this.slabOffset < size) {
      this.slab = new Uint8Array(size * READS_PER_SLAB);
      this.slabOffset = 0;
    }
    return this.slab.subarray(this.slabOffset, this.slabOffset + size);
  }

  // ---- writing -----------------------------------------------------------------------------

  get writable(): boolean {
    return !this.endRequested && !this.closed;
  }

  get bufferedAmount(): number {
    return this.queuedBytes;
  }

  write(chunks: readonly Uint8Array[], done: WriteDone | undefined): void {
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.length;
    this.queue.push({ chunks, bytes, done });
    this.queuedBytes += bytes;
    // The first conn.write is issued synchronously, inside this call.
    if (!this.writing) void this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0 && !this.closed) {
      // Everything queued while the last write was in flight goes out together; each batch's
      // `done` runs in order once the data is written.
      const batches = this.queue;
      this.queue = [];
      try {
        await this.writeBatches(batches);
      } catch (error) {
        this.writing = false;
        const failure = error instanceof Error ? error : connClosed();
        for (const batch of batches) batch.done?.(failure);
        this.destroy();
        return;
      }
      for (const batch of batches) batch.done?.();
    }
    this.writing = false;
    if (this.endRequested && !this.closed) void this.closeWrite();
  }

  private async writeBatches(batches: readonly Batch[]): Promise<void> {
    let total = 0;
    let count = 0;
    for (const batch of batches) {
      total += batch.bytes;
      count += batch.chunks.length;
    }
    if (count > 1 && total <= JOIN_LIMIT) {
      const joined = new Uint8Array(total);
      let offset = 0;
      for (const batch of batches) {
        for (const chunk of batch.chunks) {
          joined.set(chunk, offset);
          offset += chunk.length;
        }
      }
      await this.writeAll(joined);
      return;
    }
    for (const batch of batches) for (const chunk of batch.chunks) await this.writeAll(chunk);
  }

  /**
   * `conn.write` may take part of the buffer. What it took stops counting in `bufferedAmount`
   * at once, not when the whole batch is out (a batch can be tens of MiB).
   */
  private async writeAll(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const written = await this.conn.write(offset === 0 ? bytes : bytes.subarray(offset));
      // destroy() has already set the count to 0.
      if (this.closed) throw connClosed();
      offset += written;
      this.queuedBytes -= written;
    }
  }

  // ---- closing -----------------------------------------------------------------------------

  end(): void {
    if (this.endRequested || this.closed) return;
    this.endRequested = true;
    if (!this.writing) void this.closeWrite();
  }

  private async closeWrite(): Promise<void> {
    try {
      await this.conn.closeWrite();
    } catch {
      // The peer is already gone (reset, or it closed first).
      this.destroy();
      return;
    }
    this.writeEnded = true;
    this.closeIfDone();
  }

  /** Both directions ended: the Conn is released and the driver told. */
  private closeIfDone(): void {
    if (this.readEnded && this.writeEnded) this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch {
      // Already closed by the runtime.
    }
    const pending = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const batch of pending) batch.done?.(connClosed());
    // "soon, not necessarily now": never inside the driver call that asked for it.
    queueMicrotask(() => this.sink?.transportClosed());
  }
}
