import { type Allocate, NO_CHUNKS } from './bytes.js';

/**
 * What one held piece costs beyond its bytes: the typed-array object and its slot in the
 * list (measured in V8 at 80–120 bytes; rounded up so the accounting never flatters us).
 */
export const PIECE_OVERHEAD = 128;

/**
 * A piece at least this long may be kept as it arrived (a view, no copy); anything smaller is
 * copied into the tail below. Below this size the per-piece overhead would be more than an
 * eighth of the bytes it holds.
 */
const KEEP_AS_VIEW = 1024;

/**
 * Views are kept while the memory they pin stays within twice the bytes held plus this much
 * (one read's worth): several fragments that share a read cost nothing extra, but a small
 * fragment in a large read full of other frames (pings) is copied rather than pin that read.
 */
const VIEW_SLACK = 64 * 1024;

/** The tail starts this small (most fragmented messages are short) and doubles up to TAIL_MAX. */
const TAIL_MIN = 256;
const TAIL_MAX = 64 * 1024;

/**
 * The bytes of one message that arrives in several pieces (RFC 6455 §5.4), held at a cost that
 * is a small multiple of what the peer sent, whatever the piece sizes.
 *
 * A peer chooses the piece sizes: a message in a million one-byte fragments would, kept as a
 * million views, cost over a hundred bytes of heap per byte received, and a one-byte view can
 * pin a whole 64 KiB read. So a small piece, or one whose memory would make the message pin
 * more than twice its bytes (plus one read), is copied into a growing tail array; large pieces
 * are kept as they are while they share reads or mostly fill them. Memory held is therefore at
 * most 2.5 × the bytes held + 64 KiB + 384 B, and `heldBytes` counts it: capacity (a view counts
 * the memory it pins, once per read) and per-piece overhead, not only payload.
 */
export class MessagePieces {
  /** Completed pieces, oldest first; NO_CHUNKS while there are none. */
  private chunks: Uint8Array[] = NO_CHUNKS;
  /** Where small pieces are copied; its first `tailLength` bytes come after every chunk. */
  private tail: Uint8Array | undefined = undefined;
  private tailLength = 0;
  private bytes = 0;
  private cost = 0;
  /** The memory the last view kept lives in: another view into it pins nothing more. */
  private lastBuffer: ArrayBufferLike | undefined = undefined;

  constructor(private readonly allocate: Allocate) {}

  /** Payload bytes held. */
  get length(): number {
    return this.bytes;
  }

  /** Memory held, in bytes: the arrays' sizes (a view counts the memory it pins) and per-piece overhead. */
  get heldBytes(): number {
    return this.cost;
  }

  add(piece: Uint8Array): void {
    const n = piece.length;
    if (n === 0) return;
    this.bytes += n;
    if (n >= KEEP_AS_VIEW) {
      const buffer = piece.buffer;
      const pinned = (buffer === this.lastBuffer ? 0 : buffer.byteLength) + PIECE_OVERHEAD;
      if (this.cost + pinned <= 2 * this.bytes + VIEW_SLACK) {
        this.sealTail();
        this.push(piece);
        this.cost += pinned;
        this.lastBuffer = buffer;
        return;
      }
    }
    let tail = this.tail;
    if (tail === undefined || this.tailLength + n > tail.length) tail = this.growTail(n);
    tail.set(piece, this.tailLength);
    this.tailLength += n;
  }

  /** Copies every byte held into `target` from offset 0 and lets them go. */
  moveInto(target: Uint8Array): void {
    let offset = 0;
    for (const chunk of this.chunks) {
      target.set(chunk, offset);
      offset += chunk.length;
    }
    if (this.tail !== undefined) target.set(this.tail.subarray(0, this.tailLength), offset);
    this.clear();
  }

  /**
   * The whole message as one array, and lets the pieces go. A message held in one piece is
   * returned without a copy when that piece wastes little memory (the application may keep it).
   */
  join(): Uint8Array {
    this.sealTail();
    const chunks = this.chunks;
    const only = chunks.length === 1 ? chunks[0]! : undefined;
    let out: Uint8Array;
    if (only !== undefined && only.buffer.byteLength - only.length <= only.length >> 3) out = only;
    else {
      out = this.allocate(this.bytes);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
    }
    this.clear();
    return out;
  }

  clear(): void {
    this.chunks = NO_CHUNKS;
    this.tail = undefined;
    this.tailLength = 0;
    this.bytes = 0;
    this.cost = 0;
    this.lastBuffer = undefined;
  }

  /** Makes room for `n` more bytes in the tail: grows it while it is small, else starts a new one. */
  private growTail(n: number): Uint8Array {
    const old = this.tail;
    const used = this.tailLength;
    if (old !== undefined && old.length >= TAIL_MAX) {
      this.sealTail();
      return this.growTail(n);
    }
    let size = old === undefined ? TAIL_MIN : old.length * 2;
    while (size < used + n) size *= 2;
    // Every byte of it is written before it is read (only the first tailLength bytes are ever read).
    const tail = this.allocate(size);
    if (old !== undefined) {
      tail.set(old.subarray(0, used));
      this.cost -= old.length + PIECE_OVERHEAD;
    }
    this.cost += size + PIECE_OVERHEAD;
    this.tail = tail;
    return tail;
  }

  /** Ends the tail as a chunk, so a piece kept as a view can follow it in order. */
  private sealTail(): void {
    const tail = this.tail;
    if (tail === undefined) return;
    // Its cost (capacity and overhead) was counted when it was made, and stays.
    this.push(tail.subarray(0, this.tailLength));
    this.tail = undefined;
    this.tailLength = 0;
  }

  private push(chunk: Uint8Array): void {
    if (this.chunks === NO_CHUNKS) this.chunks = [chunk];
    else this.chunks.push(chunk);
  }
}
