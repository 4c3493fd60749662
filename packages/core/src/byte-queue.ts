import { EMPTY, NO_CHUNKS } from './bytes.js';

/**
 * The receive buffer: a list of chunks handed out as subarray views. A read that stays inside
 * one chunk costs no copy; only a read spanning chunks copies, and only what it reads.
 */
export class ByteQueue {
  /** Non-empty chunks, oldest first; NO_CHUNKS when there are none. */
  private chunks: Uint8Array[] = NO_CHUNKS;
  /** Read offset into chunks[0]. */
  private head = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // A one-element array is smaller and cheaper to make than growing an empty one.
    if (this.total === 0) this.chunks = [chunk];
    else this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The oldest chunk (read from `offset` on), for a caller that parses in place; undefined when empty. */
  get first(): Uint8Array | undefined {
    return this.chunks[0];
  }

  /** Where reading resumes in `first`. */
  get offset(): number {
    return this.head;
  }

  /** Drops `n` bytes that lie within `first` (the caller read them in place). */
  skip(n: number): void {
    this.advance(n);
  }

  /** The byte at `index` from the read position, without consuming. Caller checks `length`. */
  peek(index: number): number {
    let i = this.head + index;
    for (const chunk of this.chunks) {
      if (i < chunk.length) return chunk[i]!;
      i -= chunk.length;
    }
    throw new RangeError('ByteQueue.peek past the end');
  }

  /**
   * Removes and returns up to `max` bytes as one view. When the first chunk holds fewer than
   * `max` bytes, returns what it holds (a view, no copy): callers that stream payload use this.
   */
  takeSome(max: number): Uint8Array {
    const first = this.chunks[0];
    if (first === undefined || max <= 0) return EMPTY;
    const available = first.length - this.head;
    const n = available < max ? available : max;
    const out = first.subarray(this.head, this.head + n);
    this.advance(n);
    return out;
  }

  /** Removes and returns exactly `n` bytes (caller checks `length`); copies only when they span chunks. */
  take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (n === 0 || first === undefined) return EMPTY;
    if (first.length - this.head >= n) return this.takeSome(n);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.takeSome(n - filled);
      out.set(piece, filled);
      filled += piece.length;
    }
    return out;
  }

  /** Removes and returns everything left (used to hand leftovers to another layer). */
  takeAll(): Uint8Array[] {
    const out = this.chunks;
    if (out === NO_CHUNKS) return [];
    if (this.head > 0) out[0] = out[0]!.subarray(this.head);
    this.chunks = NO_CHUNKS;
    this.head = 0;
    this.total = 0;
    return out;
  }

  private advance(n: number): void {
    this.head += n;
    this.total -= n;
    if (this.head === this.chunks[0]!.length) {
      // Drained: let the array go rather than keep its grown backing store while idle.
      if (this.total === 0) this.chunks = NO_CHUNKS;
      else this.chunks.shift();
      this.head = 0;
    }
  }
}
