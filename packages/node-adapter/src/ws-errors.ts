/**
 * A peer's bad frame, as `ws` reports it. The core says `ProtocolError`; `ws` emits a
 * `RangeError` (a plain `Error` for invalid UTF-8, its receiver's choice), and zlib's own error
 * (`Z_DATA_ERROR`, errno -3) when a compressed message does not inflate. Code written for `ws`
 * tests exactly these (`err instanceof RangeError`, `err.code === 'Z_DATA_ERROR'`), so the
 * facade hands out `ws`'s shapes. The core's `code` (`WS_ERR_*`, the same strings as `ws`) and
 * `closeCode` (the close code the connection is failed with) stay on the error.
 */
import { ProtocolError, type WebSocketError } from '@sansock/core';

/** The `ws`-shaped error: what `ws` would emit, with the core's `code` and `closeCode`. */
export type WsProtocolError = Error & { code: string; closeCode: number };

export function toWsError(error: ProtocolError | WebSocketError): Error {
  if (!(error instanceof ProtocolError)) return error;
  const { code, closeCode } = error;
  const cause: unknown = (error as { cause?: unknown }).cause;
  // `ws` emits the inflate stream's error itself (RFC 7692 §8 failure, closed with 1007).
  if (code === 'WS_ERR_INVALID_COMPRESSED_DATA' && cause instanceof Error) {
    return Object.assign(cause, { closeCode });
  }
  const Shape = code === 'WS_ERR_INVALID_UTF8' || code === 'WS_ERR_EXTENSION_FAILED' ? Error : RangeError;
  const shaped = new Shape(error.message) as WsProtocolError;
  shaped.code = code;
  shaped.closeCode = closeCode;
  // Where the core found the fault is the useful trace, under ws's class name.
  if (error.stack !== undefined) shaped.stack = error.stack.replace(/^ProtocolError/, Shape.name);
  return shaped;
}
