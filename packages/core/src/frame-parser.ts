import { ByteQueue } from './byte-queue.js';
import type { ProtocolError } from './errors.js';
import { type FrameHeader, type FrameRules, headerViolation, lengthTooLargeError, lengthTopBitError } from './frame-header.js';
import { type NativeMask, applyMask, maskCopy, unmaskBehindKey } from './mask.js';
import { Opcode } from './opcode.js';

/**
 * Makes a view of received bytes (no copy). The default is a plain Uint8Array; a runtime may
 * hand out its own Uint8Array subclass (Node's byte type), so the adapter need not wrap each message again.
 */
export type ByteView = (buffer: ArrayBufferLike, byteOffset: number, length: number) => Uint8Array;

const plainView: ByteView = (buffer, byteOffset, length) => new Uint8Array(buffer, byteOffset, length);

/**
 * Incremental frame decoder (RFC 6455 §5.2). Knows nothing of messages or connection state.
 *
 * A header is parsed whole or not at all, and checked before any payload is buffered. Payload
 * is handed out in pieces as it arrives, unmasked in place: `push` takes ownership of its chunks.
 *
 * One lives in every connection, so it keeps only what it needs as plain fields (no options
 * object, no state enum: "inside a frame" is "has a header").
 */
export class FrameParser {
  private readonly queue = new ByteQueue();
  /** The frame whose payload is being read; undefined while waiting for a header. */
  private header: FrameHeader | undefined = undefined;
  /** Payload bytes of the current frame not yet handed out. */
  private remaining = 0;
  /** §5.1: a server must receive masked frames, a client unmasked ones. */
  private readonly expectMasked: boolean;
  /** RSV bits claimed by negotiated extensions (§5.2). */
  private readonly allowedRsv: number;
  /** A faster XOR for long payloads (see `NativeMask`). */
  private readonly nativeMask: NativeMask | undefined;

  /** Makes the view a whole frame's payload is handed out as (see `readWholeDataFrame`). */
  private readonly view: ByteView;
  /** Whether the last frame `readWholeDataFrame` returned was binary (else text). */
  wholeFrameBinary = false;

  constructor(rules: FrameRules, nativeMask?: NativeMask, view: ByteView = plainView) {
    this.expectMasked = rules.expectMasked;
    this.allowedRsv = rules.allowedRsv;
    this.nativeMask = nativeMask;
    this.view = view;
  }

  /** Appends received bytes. The parser may modify them (in-place unmasking). */
  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Bytes received but not consumed. */
  get buffered(): number {
    return this.queue.length;
  }

  /** Payload bytes of the current frame still to come. */
  get payloadRemaining(): number {
    return this.remaining;
  }

  /** The next frame's header, null if its bytes have not all arrived, or the rule it breaks. */
  readHeader(): FrameHeader | ProtocolError | null {
    const queue = this.queue;
    if (this.header !== undefined || queue.length < 2) return null;
    const b0 = queue.peek(0);
    const b1 = queue.peek(1);
    const masked = (b1 & 0x80) !== 0;
    const len7 = b1 & 0x7f;
    const extended = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headerSize = 2 + extended + (masked ? 4 : 0);
    if (queue.length < headerSize) return null;

    let length = len7;
    if (len7 === 126) {
      length = (queue.peek(2) << 8) | queue.peek(3);
    } else if (len7 === 127) {
      const high = ((queue.peek(2) << 24) | (queue.peek(3) << 16) | (queue.peek(4) << 8) | queue.peek(5)) >>> 0;
      const low = ((queue.peek(6) << 24) | (queue.peek(7) << 16) | (queue.peek(8) << 8) | queue.peek(9)) >>> 0;
      if (high >= 0x80000000) return lengthTopBitError();
      if (high > 0x1fffff) return lengthTooLargeError(); // high * 2^32 + low > 2^53 - 1
      length = high * 0x100000000 + low;
    }

    const bytes = queue.take(headerSize);
    const header: FrameHeader = {
      fin: (b0 & 0x80) !== 0,
      rsv: b0 & 0x70,
      opcode: b0 & 0x0f,
      length,
      // A view: the header bytes are ours (push takes ownership) and are never written to.
      maskKey: masked ? bytes.subarray(headerSize - 4, headerSize) : undefined,
    };
    const violation = headerViolation(header, this.expectMasked, this.allowedRsv);
    if (violation) return violation;
    this.header = header;
    this.remaining = length;
    return header;
  }

  /**
   * The usual frame in one call: a whole text or binary frame with FIN set and no RSV bit, the
   * MASK bit this side expects and a 7 or 16-bit length of at most `maxLength`, lying entirely
   * within the oldest chunk. Parsed in place (no header object, no view of the header or key),
   * unmasked in place, and its payload returned as one view (`wholeFrameBinary` says which
   * opcode). Null when the next frame is anything else or has not all arrived: `readHeader`
   * then takes it the usual way, with every check and error (§5.2), so this changes no outcome.
   */
  readWholeDataFrame(maxLength: number): Uint8Array | null {
    if (this.header !== undefined) return null;
    const queue = this.queue;
    const chunk = queue.first;
    if (chunk === undefined) return null;
    const at = queue.offset;
    const available = chunk.length - at;
    if (available < 2) return null;
    const b0 = chunk[at]!;
    // FIN, RSV 0, text or binary (§5.2, §5.6).
    if (b0 !== (0x80 | Opcode.BINARY) && b0 !== (0x80 | Opcode.TEXT)) return null;
    const b1 = chunk[at + 1]!;
    const masked = b1 >= 0x80;
    if (masked !== this.expectMasked) return null;
    const len7 = b1 & 0x7f;
    if (len7 === 127) return null;
    let headerSize = masked ? 6 : 2;
    let length = len7;
    if (len7 === 126) {
      if (available < 4) return null;
      length = (chunk[at + 2]! << 8) | chunk[at + 3]!;
      headerSize += 2;
    }
    if (length > maxLength || available < headerSize + length) return null;
    const start = at + headerSize;
    if (masked) unmaskBehindKey(chunk, start, length, this.nativeMask);
    this.wholeFrameBinary = b0 === (0x80 | Opcode.BINARY);
    const payload = this.view(chunk.buffer, chunk.byteOffset + start, length);
    queue.skip(headerSize + length);
    return payload;
  }

  /**
   * The next piece of the current frame's payload (unmasked), at most what has arrived; null
   * when nothing new has. A zero-length piece is returned once for an empty payload so the
   * caller sees every frame end: check `payloadRemaining === 0` after each piece.
   */
  readPayload(): Uint8Array | null {
    const header = this.header;
    if (header === undefined) return null;
    if (this.remaining > 0 && this.queue.length === 0) return null;
    const offset = header.length - this.remaining;
    const piece = this.queue.takeSome(this.remaining);
    this.consumed(piece, offset);
    return piece;
  }

  /**
   * Copies what has arrived of the current frame's payload into `target` at `targetOffset`,
   * unmasking on the way (one pass over the bytes, no intermediate array), and returns how
   * many bytes it copied: 0 when nothing new has arrived. For a payload that arrives in many
   * reads and is wanted whole: the reads are let go as soon as they are copied.
   */
  readPayloadInto(target: Uint8Array, targetOffset: number): number {
    const header = this.header;
    if (header === undefined) return 0;
    const key = header.maskKey;
    let copied = 0;
    while (this.remaining > 0 && this.queue.length > 0) {
      const piece = this.queue.takeSome(this.remaining);
      const at = targetOffset + copied;
      if (key !== undefined) maskCopy(piece, target, at, key, header.length - this.remaining, this.nativeMask);
      else target.set(piece, at);
      copied += piece.length;
      this.remaining -= piece.length;
    }
    if (this.remaining === 0) this.header = undefined;
    return copied;
  }

  /** The whole remaining payload of the current frame as one array, or null until it has all arrived. */
  readWholePayload(): Uint8Array | null {
    const header = this.header;
    if (header === undefined || this.queue.length < this.remaining) return null;
    const offset = header.length - this.remaining;
    const payload = this.queue.take(this.remaining);
    this.consumed(payload, offset);
    return payload;
  }

  /** Everything received but not parsed (for handing the stream to another protocol). */
  takeUnparsed(): Uint8Array[] {
    return this.queue.takeAll();
  }

  private consumed(piece: Uint8Array, offset: number): void {
    const key = this.header!.maskKey;
    if (key !== undefined) applyMask(piece, key, offset, this.nativeMask);
    this.remaining -= piece.length;
    if (this.remaining === 0) this.header = undefined;
  }
}
