import { ByteQueue } from './byte-queue.js';
import type { ProtocolError } from './errors.js';
import { type FrameHeader, type FrameRules, checkHeader, lengthTooLargeError, lengthTopBitError } from './frame-header.js';
import { type NativeMask, applyMask } from './mask.js';

/** What the parser waits for. */
const enum ParserState {
  HEADER,
  PAYLOAD,
}

/**
 * Incremental frame decoder (RFC 6455 §5.2). Knows nothing of messages or connection state.
 *
 * A header is parsed whole or not at all, and checked before any payload is buffered. Payload
 * is handed out in pieces as it arrives, unmasked in place: `push` takes ownership of its chunks.
 */
export class FrameParser {
  private readonly queue = new ByteQueue();
  private state = ParserState.HEADER;
  private header: FrameHeader | undefined;
  /** Payload bytes of the current frame not yet handed out. */
  private remaining = 0;

  constructor(
    private readonly rules: FrameRules,
    /** A faster XOR for long payloads (see `NativeMask`). */
    private readonly nativeMask?: NativeMask,
  ) {}

  /** Appends received bytes. The parser may modify them (in-place unmasking). */
  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Bytes received but not consumed. */
  get buffered(): number {
    return this.queue.length;
  }

  /** True between a header and the end of its payload. */
  get inFrame(): boolean {
    return this.state === ParserState.PAYLOAD;
  }

  /** Payload bytes of the current frame still to come. */
  get payloadRemaining(): number {
    return this.remaining;
  }

  /** The next frame's header, null if its bytes have not all arrived, or the rule it breaks. */
  readHeader(): FrameHeader | ProtocolError | null {
    const queue = this.queue;
    if (this.state !== ParserState.HEADER || queue.length < 2) return null;
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
    const violation = checkHeader(header, this.rules);
    if (violation) return violation;
    this.header = header;
    this.remaining = length;
    this.state = ParserState.PAYLOAD;
    return header;
  }

  /**
   * The next piece of the current frame's payload (unmasked), at most what has arrived; null
   * when nothing new has. A zero-length piece is returned once for an empty payload so the
   * caller sees every frame end: check `payloadRemaining === 0` after each piece.
   */
  readPayload(): Uint8Array | null {
    if (this.state !== ParserState.PAYLOAD) return null;
    if (this.remaining > 0 && this.queue.length === 0) return null;
    const offset = this.header!.length - this.remaining;
    const piece = this.queue.takeSome(this.remaining);
    this.consumed(piece, offset);
    return piece;
  }

  /** The whole remaining payload of the current frame as one array, or null until it has all arrived. */
  readWholePayload(): Uint8Array | null {
    if (this.state !== ParserState.PAYLOAD || this.queue.length < this.remaining) return null;
    const offset = this.header!.length - this.remaining;
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
    if (this.remaining === 0) {
      this.state = ParserState.HEADER;
      this.header = undefined;
    }
  }
}
