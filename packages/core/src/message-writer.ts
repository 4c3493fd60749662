import { type Allocate, EMPTY, NO_CHUNKS, SLAB_MAX_REQUEST, allocateBytes } from './bytes.js';
import type { Extension } from './extension.js';
import { RUN_FRAME_LIMIT, encodeFrameParts, encodeMaskedFrame, headerSize, writeSmallFrame } from './frame-serializer.js';
import type { MaskKeySource, NativeMask } from './mask.js';
import { Opcode } from './opcode.js';

export interface MessageWriterOptions {
  /** Present for a client: every frame gets a fresh key (§5.3). Absent for a server (§5.1). */
  readonly maskKeys: MaskKeySource | undefined;
  /** A faster XOR for long payloads (see `NativeMask`). */
  readonly nativeMask: NativeMask | undefined;
  /** Makes frames: large ones and the slabs small ones are cut from (see `Allocate`). */
  readonly allocate: Allocate | undefined;
  readonly extensions: readonly Extension[];
  /** Payloads longer than this go out as several frames (§5.4); Infinity = never split. */
  readonly fragmentSize: number;
  /**
   * An asynchronous encode settled: the owner should flush output (and report a failure).
   * Only extensions encode asynchronously, so without any this is never called.
   */
  readonly settled: ((error?: unknown) => void) | undefined;
}

/** A send made while an asynchronous encode is in flight, kept until its turn. */
type Operation =
  | { readonly kind: 'data'; readonly payload: Uint8Array; readonly binary: boolean; readonly fin: boolean; readonly compress: boolean }
  | { readonly kind: 'control'; readonly opcode: number; readonly payload: Uint8Array }
  | { readonly kind: 'frames'; readonly frames: readonly Uint8Array[]; readonly size: number };

/** Bytes an operation holds while it waits (a payload before encoding, prebuilt frames as they are). */
const heldBy = (op: Operation): number => (op.kind === 'frames' ? op.size : op.payload.length);

/**
 * No encoders, for a message no extension transforms (the usual case): shared, so an idle writer
 * holds no list of its own (output pending uses the shared NO_CHUNKS the same way).
 */
const NO_ENCODERS: readonly Extension[] = Object.freeze([]);

/** `fragmentSize` stored as 0 for "never split": a small integer, where Infinity would need a boxed number. */
const NEVER_SPLIT = 0;

/**
 * The largest run of small frames written back to back into one array (see `run`): an echo
 * server answering one 64 KiB read of 64-byte messages writes them in one array, one chunk.
 */
const RUN_MAX = 64 * 1024;

/**
 * Outbound framing: opcodes for fragmented sends, extension encoding, splitting by
 * `fragmentSize`, masking. Frames collect in `output` until the owner takes them. When an
 * extension's codec is asynchronous, every later operation (control frames included) waits its
 * turn, so the wire sees frames in the order they were sent.
 *
 * One lives in every connection, mostly idle: the options are copied into fields (no options
 * object kept), and lists are made only when needed.
 */
export class MessageWriter {
  /** Encoded frames not yet taken by the owner, in wire order; NO_CHUNKS when there are none. */
  private output: Uint8Array[] = NO_CHUNKS;
  private inMessage = false;
  /** RSV bits and encoders chosen on the current message's first frame. */
  private messageRsv = 0;
  private encoders: readonly Extension[] = NO_ENCODERS;
  private busy = false;
  /** Sends waiting behind an asynchronous encode; made on the first such wait. */
  private waiting: Operation[] | undefined = undefined;
  /** Prebuilt frames sent while a fragmented message was open: they follow its last fragment. */
  private afterMessage: Uint8Array[][] | undefined = undefined;
  /** Payload bytes handed to an asynchronous encode or waiting behind one (see outputBytes). */
  private heldBytes = 0;
  /**
   * Bytes in `output`, kept as frames are added: `outputBytes` is read after every send (the
   * send high-water mark), and summing the list there made a batch of n sends cost n².
   */
  private outputByteCount = 0;
  /**
   * Small unmasked frames (a server's, at most RUN_FRAME_LIMIT of payload) are written back to
   * back into this array rather than each into its own: a batch of many then leaves as one
   * chunk, one write, instead of an array and a stream entry per frame. Bytes from `runStart`
   * to `runEnd` are not in `output` yet; nothing before `runEnd` is written twice, so chunks
   * handed out stay as they are. Let go by `takeOutput`: an idle connection holds none.
   */
  private run: Uint8Array = EMPTY;
  private runStart = 0;
  private runEnd = 0;
  /** Bytes of small frames since the last `takeOutput`, and in the batch before (the next run's size). */
  private runBytes = 0;
  private runHint = 0;
  private readonly maskKeys: MaskKeySource | undefined;
  private readonly nativeMask: NativeMask | undefined;
  private readonly allocate: Allocate | undefined;
  private readonly extensions: readonly Extension[];
  private readonly fragmentSize: number;
  private readonly settled: ((error?: unknown) => void) | undefined;

  constructor(options: MessageWriterOptions) {
    this.maskKeys = options.maskKeys;
    this.nativeMask = options.nativeMask;
    this.allocate = options.allocate;
    this.extensions = options.extensions;
    this.fragmentSize = options.fragmentSize === Infinity ? NEVER_SPLIT : options.fragmentSize;
    this.settled = options.settled;
  }

  /** True while an asynchronous encode is in flight (output is held back). */
  get isBusy(): boolean {
    return this.busy;
  }

  /**
   * Bytes sent but not yet taken: the frames ready, plus payloads still held by an asynchronous
   * encode or waiting behind one (at their size before encoding, as `ws` counts its queue).
   */
  get outputBytes(): number {
    return this.heldBytes + this.outputByteCount;
  }

  /** The frames written since the last call, in wire order. */
  takeOutput(): Uint8Array[] {
    this.sealRun();
    if (this.runBytes > 0) {
      this.run = EMPTY;
      this.runStart = this.runEnd = 0;
      this.runHint = this.runBytes < RUN_MAX ? this.runBytes : RUN_MAX;
      this.runBytes = 0;
    }
    const out = this.output;
    // The caller owns what it gets, so never the shared empty list.
    if (out === NO_CHUNKS) return [];
    this.output = NO_CHUNKS;
    this.outputByteCount = 0;
    return out;
  }

  sendData(payload: Uint8Array, binary: boolean, fin: boolean, compress: boolean): void {
    if (this.busy) {
      this.wait({ kind: 'data', payload, binary, fin, compress });
    } else if (this.extensions.length === 0 && fin && !this.inMessage && !this.mustSplit(payload)) {
      // The common case, a whole message in one frame with no extension: nothing to choose,
      // nothing to encode (§5.2 with RSV 0), so straight to the frame.
      this.emit(binary ? Opcode.BINARY : Opcode.TEXT, payload, true, 0);
    } else {
      this.runData(payload, binary, fin, compress);
    }
  }

  private mustSplit(payload: Uint8Array): boolean {
    return this.fragmentSize !== NEVER_SPLIT && payload.length > this.fragmentSize;
  }

  sendControl(opcode: number, payload: Uint8Array): void {
    if (this.busy) this.wait({ kind: 'control', opcode, payload });
    else this.emit(opcode, payload, true, 0);
  }

  /**
   * Whole frames built elsewhere, appended as they are: a pub/sub layer serialises (and
   * compresses) one message once and hands the same bytes to every member's connection. The
   * caller vouches they are valid for this connection (unmasked server frames; RSV1 only where
   * the receiver can inflate them). They keep their place among the other sends: behind an
   * asynchronous encode, and after the last fragment of a message that is still open.
   */
  sendFrames(frames: readonly Uint8Array[]): void {
    if (this.busy) {
      let size = 0;
      for (const frame of frames) size += frame.length;
      this.wait({ kind: 'frames', frames, size });
    } else if (this.inMessage) {
      (this.afterMessage ??= []).push([...frames]);
    } else {
      this.appendFrames(frames);
    }
  }

  private appendFrames(frames: readonly Uint8Array[]): void {
    this.sealRun();
    if (this.output === NO_CHUNKS) this.output = [...frames];
    else for (const chunk of frames) this.output.push(chunk);
    for (const chunk of frames) this.outputByteCount += chunk.byteLength;
  }

  private wait(op: Operation): void {
    this.heldBytes += heldBy(op);
    (this.waiting ??= []).push(op);
  }

  private runData(payload: Uint8Array, binary: boolean, fin: boolean, compress: boolean): void {
    const opcode = this.inMessage ? Opcode.CONTINUATION : binary ? Opcode.BINARY : Opcode.TEXT;
    if (!this.inMessage) this.chooseEncoders(payload, fin, compress);
    const rsv = this.inMessage ? 0 : this.messageRsv;
    this.inMessage = !fin;
    const encoded = this.encode(payload, fin, 0);
    if (!(encoded instanceof Promise)) {
      this.emitSplit(opcode, encoded, fin, rsv);
      return;
    }
    this.busy = true;
    this.heldBytes += payload.length;
    encoded.then(
      (bytes) => {
        this.busy = false;
        this.heldBytes -= payload.length;
        this.emitSplit(opcode, bytes, fin, rsv);
        this.drain();
        this.settled?.();
      },
      (error: unknown) => {
        // The connection fails with 1011; what was queued behind the failed encode is dropped.
        this.busy = false;
        this.waiting = undefined;
        this.afterMessage = undefined;
        this.heldBytes = 0;
        this.settled?.(error);
      },
    );
  }

  private drain(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    while (!this.busy && waiting.length > 0) {
      const op = waiting.shift()!;
      this.heldBytes -= heldBy(op);
      if (op.kind === 'frames') this.sendFrames(op.frames);
      else if (op.kind === 'control') this.emit(op.opcode, op.payload, true, 0);
      else this.runData(op.payload, op.binary, op.fin, op.compress);
    }
  }

  private chooseEncoders(payload: Uint8Array, fin: boolean, compress: boolean): void {
    this.messageRsv = 0;
    this.encoders = NO_ENCODERS;
    let chosen: Extension[] | undefined;
    for (const extension of this.extensions) {
      const rsv = extension.rsvFor(payload, fin, compress);
      if (rsv !== 0) {
        this.messageRsv |= rsv;
        (chosen ??= []).push(extension);
      }
    }
    if (chosen !== undefined) this.encoders = chosen;
  }

  /** Runs the message's encoders in negotiated order (RFC 6455 §9.1), staying synchronous when they are. */
  private encode(payload: Uint8Array, fin: boolean, index: number): Uint8Array | Promise<Uint8Array> {
    if (index === this.encoders.length) return payload;
    const out = this.encoders[index]!.encode(payload, fin);
    return out instanceof Promise
      ? out.then((bytes) => this.encode(bytes, fin, index + 1))
      : this.encode(out, fin, index + 1);
  }

  private emitSplit(opcode: number, payload: Uint8Array, fin: boolean, rsv: number): void {
    this.emitSplitFrames(opcode, payload, fin, rsv);
    // The open message is complete: prebuilt frames that waited for it go out now.
    if (fin && this.afterMessage !== undefined) {
      const after = this.afterMessage;
      this.afterMessage = undefined;
      for (const frames of after) this.appendFrames(frames);
    }
  }

  private emitSplitFrames(opcode: number, payload: Uint8Array, fin: boolean, rsv: number): void {
    if (!this.mustSplit(payload)) {
      this.emit(opcode, payload, fin, rsv);
      return;
    }
    const size = this.fragmentSize;
    for (let offset = 0; offset < payload.length; offset += size) {
      const end = Math.min(offset + size, payload.length);
      const first = offset === 0;
      this.emit(first ? opcode : Opcode.CONTINUATION, payload.subarray(offset, end), fin && end === payload.length, first ? rsv : 0);
    }
  }

  private emit(opcode: number, payload: Uint8Array, fin: boolean, rsv: number): void {
    const firstByte = (fin ? 0x80 : 0) | rsv | opcode;
    const keys = this.maskKeys;
    if (keys === undefined && payload.length <= RUN_FRAME_LIMIT) {
      this.emitIntoRun(firstByte, payload);
      return;
    }
    this.sealRun();
    const frame =
      keys === undefined
        ? encodeFrameParts(firstByte, payload, undefined, undefined, this.allocate)
        : encodeMaskedFrame(firstByte, payload, keys, this.nativeMask, this.allocate);
    // encodeFrameParts returns a fresh list: when nothing is pending it can be the output itself.
    if (this.output === NO_CHUNKS) this.output = frame;
    else for (const chunk of frame) this.output.push(chunk);
    for (const chunk of frame) this.outputByteCount += chunk.byteLength;
  }

  /** A small unmasked frame, written behind the previous one in the run (a new run when it is full). */
  private emitIntoRun(firstByte: number, payload: Uint8Array): void {
    const size = headerSize(payload.length, false) + payload.length;
    if (this.runEnd + size > this.run.length) this.startRun(size);
    this.runEnd = writeSmallFrame(this.run, this.runEnd, firstByte, payload);
    this.runBytes += size;
    this.outputByteCount += size;
  }

  /**
   * A new run with room for at least `size` bytes: as large as the last batch's small frames
   * (an echo server's next read is like its last), else twice the previous run, up to RUN_MAX.
   */
  private startRun(size: number): void {
    this.sealRun();
    let capacity = this.run.length * 2;
    if (capacity < this.runHint) capacity = this.runHint;
    if (capacity > RUN_MAX) capacity = RUN_MAX;
    if (capacity < size) capacity = size;
    // Every byte handed out is written first, so the array may be uninitialised. A runtime's
    // Uint8Array subclass (Node's own byte type) is re-viewed as a plain array: the writes below stay monomorphic.
    const run = allocateBytes(capacity, this.allocate);
    this.run = run.constructor === Uint8Array ? run : new Uint8Array(run.buffer, run.byteOffset, run.length);
    this.runStart = this.runEnd = 0;
  }

  /** Moves the run's unwritten-out bytes into `output` as one chunk, so what follows keeps wire order. */
  private sealRun(): void {
    const start = this.runStart;
    const end = this.runEnd;
    if (end === start) return;
    const run = this.run;
    let chunk: Uint8Array;
    if (start === 0 && end * 2 < run.length && run.length > SLAB_MAX_REQUEST) {
      // Less than half of a run of its own is used (this batch was much smaller than the last):
      // a view would pin the whole run while the socket holds it, and a peer that alternates
      // large and small batches without reading could make each byte queued cost a hundred.
      // Copied out instead, and the run let go, so what is held stays within twice the bytes.
      chunk = allocateBytes(end, this.allocate);
      chunk.set(run.subarray(0, end));
      this.run = EMPTY;
      this.runStart = this.runEnd = 0;
      this.runHint = 0;
    } else {
      // A run that holds exactly one batch (one send per flush: its size was the hint) goes as it is.
      chunk = start === 0 && end === run.length ? run : new Uint8Array(run.buffer, run.byteOffset + start, end - start);
      this.runStart = end;
    }
    if (this.output === NO_CHUNKS) this.output = [chunk];
    else this.output.push(chunk);
  }
}
