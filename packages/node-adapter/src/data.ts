/** Conversions between what `ws` users pass/receive (Buffer, ArrayBuffer, views) and the core's Uint8Array. */
import { Buffer } from 'node:buffer';
import { bufferView } from './buffer-view.js';

/**
 * What `send()` accepts, like `ws`: strings, Buffers, ArrayBuffers, typed arrays, DataViews
 * (numbers become strings), and a list of Buffers (what `binaryType = 'fragments'` delivers,
 * so `ws.send(data)` echoes any `RawData`).
 */
export type Sendable = string | number | Buffer | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Blob | readonly Buffer[];

/** How binary messages are handed to 'message' listeners (`ws`'s `binaryType`). */
export type BinaryType = 'nodebuffer' | 'arraybuffer' | 'fragments' | 'blob';
/** `'blob'` only where the runtime has Blob (Node 18+), as in `ws` 8.18+. */
export const BINARY_TYPES: readonly BinaryType[] =
  typeof Blob === 'undefined' ? ['nodebuffer', 'arraybuffer', 'fragments'] : ['nodebuffer', 'arraybuffer', 'fragments', 'blob'];

/**
 * What a 'message' listener receives as `data`, depending on `binaryType`; typed as `@types/ws`
 * types it, so code written for it compiles: with `binaryType = 'blob'` it is a `Blob` (cast).
 */
export type RawData = Buffer | ArrayBuffer | Buffer[];

/** A message as the browser-style API delivers it (`MessageEvent.data`, `ws`'s `Data`): text as a string. */
export type Data = string | RawData;

/** A Buffer view of the same memory: no copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return bytes instanceof Buffer ? bytes : bufferView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The payload to hand the core: strings stay strings (the core encodes UTF-8), bytes become a
 * Uint8Array view, a Blob stays a Blob (read asynchronously, see readBlob). Anything else goes
 * through `Buffer.from`, as in `ws`: array-likes are accepted, other values throw its TypeError
 * (`code: 'ERR_INVALID_ARG_TYPE'`).
 */
export function toPayload(data: Sendable | undefined | null): string | Uint8Array | Blob {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (typeof data === 'string') return data;
  if (typeof data === 'number') return data.toString();
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Buffer.concat(data as readonly Buffer[]);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer)) {
    return new Uint8Array(data);
  }
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data;
  return Buffer.from(data as unknown as string);
}

/** A Blob's bytes, for the driver's `sendAsync`. */
export function readBlob(blob: Blob): Promise<Uint8Array> {
  return blob.arrayBuffer().then((bytes) => new Uint8Array(bytes));
}

/** Byte length of a payload as `ws` counts it for `bufferedAmount`. */
export function byteLengthOf(data: Sendable | undefined | null): number {
  const payload = toPayload(data);
  if (typeof payload === 'string') return Buffer.byteLength(payload);
  return payload instanceof Uint8Array ? payload.byteLength : payload.size;
}

/** A received message in the shape `binaryType` asks for. Text is always a Buffer, like `ws`. */
export function toRawData(bytes: Uint8Array, binary: boolean, binaryType: BinaryType): RawData | Blob {
  const buffer = asBuffer(bytes);
  if (!binary) return buffer;
  switch (binaryType) {
    case 'arraybuffer':
      if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
        return bytes.buffer;
      }
      return new Uint8Array(bytes).buffer;
    case 'fragments':
      // The core assembles messages, so the message arrives as one fragment.
      return [buffer];
    case 'blob':
      return new Blob([buffer as Uint8Array<ArrayBuffer>]);
    default:
      return buffer;
  }
}
