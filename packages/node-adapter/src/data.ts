/** Conversions between what `ws` users pass/receive (Buffer, ArrayBuffer, views) and the core's Uint8Array. */

/**
 * What `send()` accepts, like `ws`: strings, Buffers, ArrayBuffers, typed arrays, DataViews
 * (numbers become strings), and a list of Buffers (what `binaryType = 'fragments'` delivers,
 * so `ws.send(data)` echoes any `RawData`).
 */
export type Sendable = string | number | Buffer | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | readonly Buffer[];

/** How binary messages are handed to 'message' listeners (`ws`'s `binaryType`). */
export type BinaryType = 'nodebuffer' | 'arraybuffer' | 'fragments';
export const BINARY_TYPES: readonly BinaryType[] = ['nodebuffer', 'arraybuffer', 'fragments'];

/** What a 'message' listener receives as `data`, depending on `binaryType`. */
export type RawData = Buffer | ArrayBuffer | Buffer[];

/** A message as the browser-style API delivers it (`MessageEvent.data`, `ws`'s `Data`): text as a string. */
export type Data = string | RawData;

/** A Buffer view of the same memory: no copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The payload to hand the core: strings stay strings (the core encodes UTF-8), bytes become a Uint8Array view. */
export function toPayload(data: Sendable | undefined | null): string | Uint8Array {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (typeof data === 'string') return data;
  if (typeof data === 'number') return data.toString();
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Buffer.concat(data as readonly Buffer[]);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer)) {
    return new Uint8Array(data);
  }
  throw new TypeError('The data argument must be a string, a Buffer, an ArrayBuffer, a typed array or a DataView');
}

/** Byte length of a payload as `ws` counts it for `bufferedAmount`. */
export function byteLengthOf(data: Sendable | undefined | null): number {
  const payload = toPayload(data);
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
}

/** A received message in the shape `binaryType` asks for. Text is always a Buffer, like `ws`. */
export function toRawData(bytes: Uint8Array, binary: boolean, binaryType: BinaryType): RawData {
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
    default:
      return buffer;
  }
}
