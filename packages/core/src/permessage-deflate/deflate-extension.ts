/**
 * One connection's permessage-deflate (RFC 7692 §6-§7.2): decides per message whether to
 * compress, handles the 00 00 FF FF trailer and context takeover, and bounds inflated output.
 * The DEFLATE transform itself is the injected codec's job.
 */
import { CloseCode } from '../close-code.js';
import { ProtocolError } from '../errors.js';
import type { Extension, ExtensionResult } from '../extension.js';
import { RSV1 } from '../frame-header.js';
import type { Compressor, Decompressor, DeflateCodec } from './codec.js';
import type { DeflateAgreement } from './negotiation.js';
import { EXTENSION_NAME, type DeflateParams } from './params.js';

/** The empty stored block a sync flush ends with (RFC 7692 §7.2.1 step 3, §7.2.2 step 1). */
const TRAILER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

function endsWithTrailer(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 4 && bytes[n - 4] === 0x00 && bytes[n - 3] === 0x00 && bytes[n - 2] === 0xff && bytes[n - 1] === 0xff;
}

const tooBig = (): ProtocolError =>
  new ProtocolError('Max payload size exceeded', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', CloseCode.MESSAGE_TOO_BIG);

/**
 * `ws` fails with 1007 when inflating fails; so do we. The codec's own error is the `cause`, so
 * an adapter can hand it on as it came (`ws` emits zlib's error itself).
 */
const invalidData = (error: unknown): ProtocolError => {
  const failure = new ProtocolError(
    `Invalid compressed data: ${error instanceof Error ? error.message : String(error)}`,
    'WS_ERR_INVALID_COMPRESSED_DATA',
    CloseCode.INVALID_PAYLOAD_DATA,
  );
  Object.defineProperty(failure, 'cause', { value: error, configurable: true, writable: true });
  return failure;
};

export class PerMessageDeflate implements Extension {
  readonly name = EXTENSION_NAME;
  readonly rsvMask = RSV1;
  private compressor: Compressor | undefined;
  private decompressor: Decompressor | undefined;
  /** Bytes inflated so far for the current inbound message (for the `maxPayload` option). */
  private inflatedInMessage = 0;
  private disposed = false;

  constructor(
    private readonly agreement: DeflateAgreement,
    private readonly codec: DeflateCodec,
    private readonly threshold: number,
    /** Extra cap on an inflated message; 0 = only the connection's limit. */
    private readonly maxPayload: number,
  ) {}

  /** The negotiated parameters (what the server's response said). */
  get params(): DeflateParams {
    return this.agreement.params;
  }

  rsvFor(firstPayload: Uint8Array, _fin: boolean, requested: boolean): number {
    if (!requested || this.disposed) return 0;
    // `ws`: without context takeover a small message gains nothing from compression.
    if (this.agreement.ownNoContextTakeover && firstPayload.length < this.threshold) return 0;
    return RSV1;
  }

  /** §7.2.1: compress each frame with a sync flush; on the last, drop the 00 00 FF FF. */
  encode(payload: Uint8Array, fin: boolean): Uint8Array | Promise<Uint8Array> {
    if (this.disposed) return Promise.reject(new Error('permessage-deflate: the extension was disposed'));
    this.compressor ??= this.codec.createCompressor({ windowBits: this.agreement.ownWindowBits });
    const compressed = this.compressor.compress(payload);
    return compressed instanceof Promise
      ? compressed.then((bytes) => this.finishFrame(bytes, fin))
      : this.finishFrame(compressed, fin);
  }

  private finishFrame(bytes: Uint8Array, fin: boolean): Uint8Array {
    if (!endsWithTrailer(bytes)) throw new Error('permessage-deflate: the codec did not end its output with a sync flush');
    // A non-final frame keeps its flush marker: it is valid DEFLATE the peer inflates as is.
    if (!fin) return bytes;
    // §7.1.1.1 / §7.1.1.2: without context takeover the next message starts a new stream.
    if (this.agreement.ownNoContextTakeover) this.compressor?.reset();
    return bytes.subarray(0, bytes.length - TRAILER.length);
  }

  /** §7.2.2: inflate each frame; append 00 00 FF FF to the last before inflating it. */
  decode(payload: Uint8Array, fin: boolean, maxBytes: number): ExtensionResult | Promise<ExtensionResult> {
    if (this.disposed) return invalidData(new Error('the extension was disposed'));
    this.decompressor ??= this.codec.createDecompressor({ windowBits: this.agreement.peerWindowBits });
    const limit = this.maxPayload > 0 ? Math.min(maxBytes, this.maxPayload - this.inflatedInMessage) : maxBytes;
    let inflated: Uint8Array | undefined | Promise<Uint8Array | undefined>;
    try {
      inflated = this.decompressor.decompress(fin ? [payload, TRAILER] : [payload], limit);
    } catch (error) {
      return this.fail(invalidData(error));
    }
    if (inflated instanceof Promise) {
      return inflated.then(
        (bytes) => this.afterInflate(bytes, fin, limit),
        (error: unknown) => this.fail(invalidData(error)),
      );
    }
    return this.afterInflate(inflated, fin, limit);
  }

  private afterInflate(bytes: Uint8Array | undefined, fin: boolean, limit: number): ExtensionResult {
    // The codec stops once it passes the limit: a bomb costs at most the limit and one chunk.
    if (bytes === undefined || bytes.length > limit) return this.fail(tooBig());
    if (fin) {
      this.inflatedInMessage = 0;
      if (this.agreement.peerNoContextTakeover) this.decompressor?.reset();
    } else {
      this.inflatedInMessage += bytes.length;
    }
    return bytes;
  }

  /** The connection fails on this error; leave the decompressor in a clean state anyway. */
  private fail(error: ProtocolError): ProtocolError {
    if (!this.disposed) this.decompressor?.reset();
    this.inflatedInMessage = 0;
    return error;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.compressor?.dispose();
    this.decompressor?.dispose();
    this.compressor = undefined;
    this.decompressor = undefined;
  }
}
