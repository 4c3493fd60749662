/** What the zlib codec's streams produce for one operation, gathered until it is complete. */
export class OutputChunks {
  chunks: Uint8Array[] = [];
  length = 0;

  /** Keeps `chunk` as is (the asynchronous path: a fresh slice zlib will not write again). */
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Keeps a copy of `scratch[0, size)` (the synchronous path: scratch is reused by the next call). */
  copy(scratch: Uint8Array, size: number): void {
    if (size === 0) return;
    const chunk = Buffer.allocUnsafe(size);
    chunk.set(size === scratch.length ? scratch : scratch.subarray(0, size));
    this.push(chunk);
  }

  /** Drops what was gathered (after an overflow or a failure). */
  clear(): void {
    this.chunks = [];
    this.length = 0;
  }

  join(): Uint8Array {
    const { chunks } = this;
    if (chunks.length === 1) return chunks[0]!;
    return chunks.length === 0 ? EMPTY : Buffer.concat(chunks, this.length);
  }
}

export const EMPTY = new Uint8Array(0);

export const closedWhileBusy = (): Error => new Error('The zlib stream was closed while data was being processed');

/** Settles the one asynchronous operation in flight on a stream. */
export interface Job<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}
