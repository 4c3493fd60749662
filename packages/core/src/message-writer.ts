import type { Extension } from './extension.js';
import { encodeFrame } from './frame-serializer.js';
import type { MaskKeySource, NativeMask } from './mask.js';
import { Opcode } from './opcode.js';

export interface MessageWriterOptions {
  /** Present for a client: every frame gets a fresh key (§5.3). Absent for a server (§5.1). */
  readonly maskKeys: MaskKeySource | undefined;
  /** A faster XOR for long payloads (see `NativeMask`). */
  readonly nativeMask: NativeMask | undefined;
  readonly extensions: readonly Extension[];
  /** Payloads longer than this go out as several frames (§5.4); Infinity = never split. */
  readonly fragmentSize: number;
  /** Receives encoded frames, in wire order. */
  readonly write: (chunks: Uint8Array[]) => void;
  /** An asynchronous encode settled: the owner should flush output (and report a failure). */
  readonly settled: (error?: unknown) => void;
}

type Operation =
  | { readonly kind: 'data'; readonly payload: Uint8Array; readonly binary: boolean; readonly fin: boolean; readonly compress: boolean }
  | { readonly kind: 'control'; readonly opcode: number; readonly payload: Uint8Array };

/**
 * Outbound framing: opcodes for fragmented sends, extension encoding, splitting by
 * `fragmentSize`, masking. When an extension's codec is asynchronous, every later operation
 * (control frames included) waits its turn, so the wire sees frames in the order they were sent.
 */
export class MessageWriter {
  private inMessage = false;
  /** RSV bits and encoders chosen on the current message's first frame. */
  private messageRsv = 0;
  private encoders: Extension[] = [];
  private busy = false;
  private readonly waiting: Operation[] = [];

  constructor(private readonly options: MessageWriterOptions) {}

  /** True while an asynchronous encode is in flight (output is held back). */
  get isBusy(): boolean {
    return this.busy;
  }

  sendData(payload: Uint8Array, binary: boolean, fin: boolean, compress: boolean): void {
    this.submit({ kind: 'data', payload, binary, fin, compress });
  }

  sendControl(opcode: number, payload: Uint8Array): void {
    this.submit({ kind: 'control', opcode, payload });
  }

  private submit(op: Operation): void {
    if (this.busy) this.waiting.push(op);
    else this.run(op);
  }

  private run(op: Operation): void {
    if (op.kind === 'control') {
      this.emit(op.opcode, op.payload, true, 0);
      return;
    }
    const opcode = this.inMessage ? Opcode.CONTINUATION : op.binary ? Opcode.BINARY : Opcode.TEXT;
    if (!this.inMessage) this.chooseEncoders(op);
    const rsv = this.inMessage ? 0 : this.messageRsv;
    this.inMessage = !op.fin;
    const encoded = this.encode(op.payload, op.fin, 0);
    if (!(encoded instanceof Promise)) {
      this.emitSplit(opcode, encoded, op.fin, rsv);
      return;
    }
    this.busy = true;
    encoded.then(
      (bytes) => {
        this.busy = false;
        this.emitSplit(opcode, bytes, op.fin, rsv);
        this.drain();
        this.options.settled();
      },
      (error: unknown) => {
        // The connection fails with 1011; what was queued behind the failed encode is dropped.
        this.busy = false;
        this.waiting.length = 0;
        this.options.settled(error);
      },
    );
  }

  private drain(): void {
    while (!this.busy && this.waiting.length > 0) this.run(this.waiting.shift()!);
  }

  private chooseEncoders(op: Operation & { kind: 'data' }): void {
    this.messageRsv = 0;
    this.encoders = [];
    for (const extension of this.options.extensions) {
      const rsv = extension.rsvFor(op.payload, op.fin, op.compress);
      if (rsv !== 0) {
        this.messageRsv |= rsv;
        this.encoders.push(extension);
      }
    }
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
    const size = this.options.fragmentSize;
    if (payload.length <= size) {
      this.emit(opcode, payload, fin, rsv);
      return;
    }
    for (let offset = 0; offset < payload.length; offset += size) {
      const end = Math.min(offset + size, payload.length);
      const first = offset === 0;
      this.emit(first ? opcode : Opcode.CONTINUATION, payload.subarray(offset, end), fin && end === payload.length, first ? rsv : 0);
    }
  }

  private emit(opcode: number, payload: Uint8Array, fin: boolean, rsv: number): void {
    this.options.write(encodeFrame(opcode, payload, { fin, rsv, maskKey: this.options.maskKeys?.next(), nativeMask: this.options.nativeMask }));
  }
}
