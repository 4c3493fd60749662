import { EMPTY, utf8Encode } from './bytes.js';
import { CloseCode } from './close-code.js';
import { type ClosePayload, decodeClosePayload, encodeClosePayload } from './close-frame.js';
import { ConnectionState, type ConnectionTransition, nextState, readyStateOf } from './connection-state.js';
import { InvalidArgumentError, InvalidStateError, ProtocolError, type WebSocketError } from './errors.js';
import { type ConnectionEvent, DONE, type MessageEvent, NEED_DATA, type NoEvent, PENDING } from './events.js';
import type { Extension } from './extension.js';
import { type FrameHeader, MAX_CONTROL_PAYLOAD } from './frame-header.js';
import { FrameParser } from './frame-parser.js';
import { MaskKeySource } from './mask.js';
import { MessageReader, type ReadOutcome } from './message-reader.js';
import { MessageWriter } from './message-writer.js';
import { Opcode, isControlOpcode } from './opcode.js';

import { type ConnectionOptions, DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_PAYLOAD, type Role } from './connection-options.js';


export interface SendOptions {
  /** Send as a binary message. Default: true for bytes, false for strings. */
  readonly binary?: boolean;
  /** False leaves the message open: the next send continues it (§5.4). Default true. */
  readonly fin?: boolean;
  /** Let extensions transform (compress) this message. Default true. */
  readonly compress?: boolean;
}

const { OPEN, CLOSE_SENT, CLOSE_EXCHANGED, FAILED, CLOSED } = ConnectionState;

/**
 * Shared stand-ins for lists that are usually empty, so an idle connection holds none of its
 * own. Frozen: a push into one fails loudly instead of reaching every connection.
 */
const NO_EXTENSIONS: readonly Extension[] = Object.freeze([]);
const NO_EVENTS: ConnectionEvent[] = Object.freeze([]) as unknown as ConnectionEvent[];

/**
 * A WebSocket connection after the opening handshake, as a sans-IO state machine
 * (RFC 6455 §5-§8). Feed it received bytes with `receiveData`, read what happened with
 * `nextEvent`, and write whatever `takeOutput` returns. It never does I/O, never keeps time,
 * and never throws on anything the peer sends.
 *
 * A server holds one per client, mostly idle, so an idle connection is kept small: parts keep
 * plain fields rather than option objects, and lists exist only while they hold something.
 */
export class Connection {
  readonly role: Role;
  private protocolState: ConnectionState = OPEN;
  private readonly parser: FrameParser;
  private readonly reader: MessageReader;
  private readonly writer: MessageWriter;
  private readonly extensions: readonly Extension[];
  private readonly autoPong: boolean;
  private readonly onWake: (() => void) | undefined;
  /** 0 = no per-frame limit. */
  private readonly maxFrameSize: number;
  /** The longest frame `readWholeMessage` takes: within every limit, so it checks none. */
  private readonly wholeFrameLimit: number;
  /** Events not yet delivered, oldest first; NO_EVENTS when there are none. */
  private events: ConnectionEvent[] = NO_EVENTS;
  /** The frame whose payload is being read. */
  private frame: FrameHeader | undefined = undefined;
  /** An asynchronous decode is in flight: input waits so events keep protocol order. */
  private decoding = false;
  private transportEnded = false;
  private closeReceived: ClosePayload | undefined = undefined;
  private failure: WebSocketError | undefined = undefined;

  constructor(options: ConnectionOptions) {
    this.role = options.role;
    this.extensions = options.extensions === undefined || options.extensions.length === 0 ? NO_EXTENSIONS : options.extensions;
    this.autoPong = options.autoPong ?? true;
    this.onWake = options.onWake;
    this.maxFrameSize = options.maxFrameSize ?? 0;
    const fragmentSize = options.fragmentSize ?? Infinity;
    if (!(fragmentSize > 0)) throw new InvalidArgumentError('fragmentSize must be a positive number of bytes');
    let allowedRsv = 0;
    for (const extension of this.extensions) allowedRsv |= extension.rsvMask;
    this.parser = new FrameParser({ expectMasked: this.role === 'server', allowedRsv }, options.nativeMask, options.byteView);
    const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    let wholeFrameLimit = 0xffff;
    if (maxPayload > 0 && maxPayload < wholeFrameLimit) wholeFrameLimit = maxPayload;
    if (this.maxFrameSize > 0 && this.maxFrameSize < wholeFrameLimit) wholeFrameLimit = this.maxFrameSize;
    this.wholeFrameLimit = wholeFrameLimit;
    this.reader = new MessageReader({
      maxPayload,
      maxFragments: options.maxFragments ?? DEFAULT_MAX_FRAGMENTS[this.role],
      validateUtf8: !(options.skipUTF8Validation ?? false),
      nativeUtf8Check: options.nativeUtf8Check,
      extensions: this.extensions,
      deliverFragments: options.deliverFragments ?? false,
      allocate: options.allocate,
    });
    this.writer = new MessageWriter({
      maskKeys: this.role === 'client' ? clientMaskKeys(options) : undefined,
      nativeMask: options.nativeMask,
      allocate: options.allocate,
      extensions: this.extensions,
      fragmentSize,
      // Only extension codecs encode asynchronously: no closure for a connection without any.
      settled: this.extensions.length === 0 ? undefined : (error) => this.encodeSettled(error),
    });
  }

  get state(): ConnectionState {
    return this.protocolState;
  }

  /** The WebSocket API's readyState: 1 OPEN, 2 CLOSING, 3 CLOSED. */
  get readyState(): 1 | 2 | 3 {
    return readyStateOf(this.protocolState);
  }

  /**
   * Hands received bytes to the connection, which takes ownership (payloads are unmasked in
   * place). `null` says the transport is closed: what was received is still processed, then a
   * `closed` event ends the stream.
   */
  receiveData(data: Uint8Array | null): void {
    if (data === null) this.transportEnded = true;
    else if (!this.transportEnded && this.protocolState !== CLOSED) {
      // Views of a Uint8Array subclass (what a runtime's socket may hand us) cost much more to
      // create than views of a plain Uint8Array, and the parser makes several per frame:
      // re-view each chunk once.
      this.parser.push(data.constructor === Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  }

  /** The next event, or NEED_DATA / PENDING / DONE when there is none. Processes input lazily. */
  nextEvent(): ConnectionEvent | NoEvent {
    if (this.events.length === 0) {
      const message = this.readWholeMessage();
      if (message !== undefined) return message;
      this.process();
    }
    // The transport may only close once every frame before it was written: while an
    // asynchronous encode holds output back, so does the directive (§7.1.1's close frame
    // may be queued behind it).
    const events = this.events;
    if (events[0]?.type === 'close-transport' && this.writer.isBusy) return PENDING;
    if (events.length === 1) {
      // The usual case, one event at a time: back to the shared empty list, no array kept.
      this.events = NO_EVENTS;
      return events[0]!;
    }
    if (events.length > 1) return events.shift()!;
    if (this.protocolState === CLOSED) return DONE;
    return this.decoding || this.writer.isBusy ? PENDING : NEED_DATA;
  }

  /**
   * True while an asynchronous extension encode holds output back: what was sent has not all
   * reached `takeOutput()` yet. `onWake` fires when that changes.
   */
  get isSending(): boolean {
    return this.writer.isBusy;
  }

  /**
   * True while an asynchronous extension decode holds input back: bytes given to `receiveData`
   * now only wait behind it. An adapter stops reading its transport while this is true (and
   * keeps reading while only a send is being encoded: the input is then fully processed).
   */
  get isReceiving(): boolean {
    return this.decoding;
  }

  /**
   * Bytes sent but not yet taken by `takeOutput()`, for a `bufferedAmount`: frames ready, plus
   * payloads an asynchronous extension encode holds (counted at their size before encoding).
   */
  get outputBytes(): number {
    return this.writer.outputBytes;
  }

  /**
   * Memory held for what was received and not yet delivered, in bytes: input not yet parsed,
   * plus the unfinished message with its per-piece overhead (see `MessagePieces`). A peer's
   * cheap input cannot make this grow much faster than the bytes it sent.
   */
  get heldBytes(): number {
    return this.parser.buffered + this.reader.heldBytes;
  }

  /**
   * Bytes to write to the transport, in order: whole frames, several small ones possibly in one
   * chunk (a batch of small sends leaves as one array). The caller must write them all.
   */
  takeOutput(): Uint8Array[] {
    return this.writer.takeOutput();
  }

  /** Sends a data message, or one fragment of it with `fin: false` (§5.4, §6.1). */
  send(data: Uint8Array | string, options?: SendOptions): void {
    this.requireOpen('send a message');
    const text = typeof data === 'string';
    const payload = text ? utf8Encode(data) : data;
    // No options object is made for the usual call without one: this runs once per message.
    if (options === undefined) this.writer.sendData(payload, !text, true, true);
    else this.writer.sendData(payload, options.binary ?? !text, options.fin ?? true, options.compress ?? true);
  }

  /**
   * Writes whole frames someone else built, in order with this connection's other sends: the
   * hook a broadcast uses to serialise a message once for many connections (`encodeFrame` with
   * no mask key; a server's frames are unmasked, so the same bytes suit every peer). The caller
   * vouches the frames are valid here: RSV1 only when this connection negotiated
   * permessage-deflate and can inflate them (server_no_context_takeover, a window it accepts).
   */
  sendFrames(frames: readonly Uint8Array[]): void {
    this.requireOpen('send a message');
    this.writer.sendFrames(frames);
  }

  /** Sends a ping (§5.5.2); the payload is at most 125 bytes. */
  ping(data: Uint8Array | string = EMPTY): void {
    this.sendControl(Opcode.PING, data, 'send a ping');
  }

  /** Sends an unsolicited pong (§5.5.3, a heartbeat). */
  pong(data: Uint8Array | string = EMPTY): void {
    this.sendControl(Opcode.PONG, data, 'send a pong');
  }

  /**
   * Starts the closing handshake (§7.1.2). Without a code the close frame is empty (the peer
   * sees 1005). Once closing has begun, further calls do nothing.
   */
  close(code?: number, reason?: string | Uint8Array): void {
    if (this.protocolState !== OPEN) return;
    const payload = encodeClosePayload(code, reason);
    this.writer.sendControl(Opcode.CLOSE, payload);
    this.move('send-close');
    this.report({ type: 'start-close-timer' });
  }

  private sendControl(opcode: number, data: Uint8Array | string, action: string): void {
    this.requireOpen(action);
    const payload = typeof data === 'string' ? utf8Encode(data) : data;
    if (payload.length > MAX_CONTROL_PAYLOAD) {
      throw new InvalidArgumentError(`The data size must not be greater than ${MAX_CONTROL_PAYLOAD} bytes`);
    }
    this.writer.sendControl(opcode, payload);
  }

  /** Queues an event for `nextEvent`. */
  private report(event: ConnectionEvent): void {
    if (this.events.length === 0) this.events = [event];
    else this.events.push(event);
  }

  /** The writer's asynchronous encode settled (extensions only): fail on a codec error, then wake the owner. */
  private encodeSettled(error: unknown): void {
    if (error !== undefined) this.fail(codecFailure(error));
    this.onWake?.();
  }

  private requireOpen(action: string): void {
    if (this.protocolState !== OPEN) throw new InvalidStateError(this.role, this.protocolState, action);
  }

  private move(transition: ConnectionTransition): void {
    this.protocolState = nextState(this.role, this.protocolState, transition);
  }

  /**
   * The usual case in one call, no event queued: a whole small message lying within one read
   * (see `FrameParser.readWholeDataFrame`; anything else is left to `process`, as is a failure).
   */
  private readWholeMessage(): MessageEvent | undefined {
    const reader = this.reader;
    if (this.frame !== undefined || this.decoding || !reader.isIdle || !this.isReading()) return undefined;
    const parser = this.parser;
    const payload = parser.readWholeDataFrame(this.wholeFrameLimit);
    if (payload === null) return undefined;
    const outcome = reader.wholeMessage(payload, parser.wholeFrameBinary);
    if (outcome instanceof ProtocolError) {
      this.fail(outcome);
      return undefined;
    }
    return outcome;
  }

  /** Reads input until it yields an event, runs out, or waits on a codec. */
  private process(): void {
    while (this.events.length === 0 && !this.decoding) {
      const state = this.protocolState;
      if (state === CLOSED) return;
      if (state === CLOSE_EXCHANGED || state === FAILED) {
        // Nothing after the close frame (§5.5.1) or a failure (§7.1.7) is read.
        this.parser.takeUnparsed();
        if (this.transportEnded) this.transportClosed();
        return;
      }
      if (!this.step()) {
        if (this.transportEnded) this.transportClosed();
        return;
      }
    }
  }

  /** One unit of parsing; false when the input has nothing more to give right now. */
  private step(): boolean {
    const parser = this.parser;
    const frame = this.frame;
    if (frame === undefined) {
      const header = parser.readHeader();
      if (header === null) return false;
      if (header instanceof ProtocolError) {
        this.fail(header);
        return true;
      }
      if (this.maxFrameSize > 0 && header.length > this.maxFrameSize) {
        this.fail(
          new ProtocolError(
            `Frame size of ${header.length} bytes exceeds maxFrameSize`,
            'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
            CloseCode.MESSAGE_TOO_BIG,
          ),
        );
        return true;
      }
      if (!isControlOpcode(header.opcode)) {
        const violation = this.reader.beginFrame(header);
        if (violation) {
          this.fail(violation);
          return true;
        }
      }
      this.frame = header;
      return true;
    }
    if (isControlOpcode(frame.opcode)) {
      const payload = parser.readWholePayload();
      if (payload === null) return false;
      this.frame = undefined;
      this.onControlFrame(frame.opcode, payload);
      return true;
    }
    if (this.reader.wantsWholeFrame) {
      const payload = parser.readWholePayload();
      if (payload === null) return false;
      this.frame = undefined;
      const outcome = this.reader.addEncodedFrame(payload, frame.fin);
      if (outcome instanceof Promise) this.awaitDecode(outcome);
      else this.onReadOutcome(outcome);
      return true;
    }
    if (this.reader.gatherTarget !== undefined) return this.gatherPayload();
    const remaining = parser.payloadRemaining;
    const available = parser.buffered < remaining ? parser.buffered : remaining;
    if (available > 0 && this.reader.gatherBefore(available, available === remaining)) return this.gatherPayload();
    const piece = parser.readPayload();
    if (piece === null) return false;
    const frameEnd = parser.payloadRemaining === 0;
    if (frameEnd) this.frame = undefined;
    this.onReadOutcome(this.reader.addPiece(piece, frameEnd, frame.fin));
    return true;
  }

  /** A large message arriving read by read: copied (and unmasked) straight into place. */
  private gatherPayload(): boolean {
    const parser = this.parser;
    const reader = this.reader;
    const copied = parser.readPayloadInto(reader.gatherTarget!, reader.gatheredBytes);
    if (copied === 0) return false;
    const frameEnd = parser.payloadRemaining === 0;
    if (frameEnd) this.frame = undefined;
    this.onReadOutcome(reader.addGathered(copied, frameEnd));
    return true;
  }

  private awaitDecode(outcome: Promise<ReadOutcome>): void {
    this.decoding = true;
    outcome.then(
      (result) => {
        this.decoding = false;
        if (this.isReading()) this.onReadOutcome(result);
        this.onWake?.();
      },
      (error: unknown) => {
        this.decoding = false;
        if (this.isReading()) this.fail(codecFailure(error));
        this.onWake?.();
      },
    );
  }

  private isReading(): boolean {
    return this.protocolState === OPEN || this.protocolState === CLOSE_SENT;
  }

  private onReadOutcome(outcome: ReadOutcome): void {
    if (outcome === undefined) return;
    if (outcome instanceof ProtocolError) this.fail(outcome);
    else this.report(outcome);
  }

  private onControlFrame(opcode: number, payload: Uint8Array): void {
    if (opcode === Opcode.PING) {
      // §5.5.2: answer with the same payload, unless we already sent a close frame (§5.5.1).
      if (this.autoPong && this.protocolState === OPEN) this.writer.sendControl(Opcode.PONG, payload);
      this.report({ type: 'ping', data: payload });
    } else if (opcode === Opcode.PONG) {
      this.report({ type: 'pong', data: payload });
    } else {
      this.onCloseFrame(payload);
    }
  }

  /** §5.5.1, §7.1.2-§7.1.3: answer a close we did not start, then let the server close TCP first. */
  private onCloseFrame(payload: Uint8Array): void {
    const close = decodeClosePayload(payload);
    if (close instanceof ProtocolError) {
      this.fail(close);
      return;
    }
    this.closeReceived = close;
    this.report({ type: 'close', code: close.code, reason: close.reason });
    const weStarted = this.protocolState === CLOSE_SENT;
    if (!weStarted) {
      // Echo the status code (§5.5.1) and, like `ws` and browsers expect, the reason; an empty
      // close is answered with an empty one.
      const echo =
        close.code === CloseCode.NO_STATUS_RECEIVED ? encodeClosePayload() : encodeClosePayload(close.code, close.reason);
      this.writer.sendControl(Opcode.CLOSE, echo);
    }
    this.move('receive-close');
    if (this.role === 'server') this.report({ type: 'close-transport' });
    else if (!weStarted) this.report({ type: 'start-close-timer' });
  }

  /** _Fail the WebSocket Connection_ (§7.1.7): a close frame with the code if we may still send one, then close TCP. */
  private fail(error: ProtocolError): void {
    if (!this.isReading()) return;
    if (this.protocolState === OPEN) this.writer.sendControl(Opcode.CLOSE, encodeClosePayload(error.closeCode));
    this.failure = error;
    this.frame = undefined;
    this.move('fail');
    this.report({ type: 'error', error });
    this.report({ type: 'close-transport' });
  }

  private transportClosed(): void {
    const wasClean = this.protocolState === CLOSE_EXCHANGED;
    this.move('transport-closed');
    this.report({
      type: 'closed',
      code: this.closeReceived?.code ?? CloseCode.ABNORMAL_CLOSURE,
      reason: this.closeReceived?.reason ?? '',
      wasClean,
      error: this.failure,
    });
    for (const extension of this.extensions) extension.dispose?.();
  }
}

/** A pool of strong random keys, or one key per call of the application's `generateMask`. */
function clientMaskKeys(options: ConnectionOptions): MaskKeySource {
  return options.generateMask !== undefined ? new MaskKeySource(options.generateMask, 4) : new MaskKeySource(options.randomFill);
}

function codecFailure(error: unknown): ProtocolError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ProtocolError(`Extension codec failed: ${detail}`, 'WS_ERR_EXTENSION_FAILED', CloseCode.INTERNAL_ERROR);
}
