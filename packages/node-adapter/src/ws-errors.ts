/**
 * A peer's bad frame, as `ws` reports it. The core says `ProtocolError`; `ws` emits a
 * `RangeError` (a plain `Error` for invalid UTF-8, its receiver's choice), and zlib's own error
 * (`Z_DATA_ERROR`, errno -3) when a compressed message does not inflate. Code written for `ws`
 * tests exactly these (`err instanceof RangeError`, `err.code === 'Z_DATA_ERROR'`), so the
 * facade hands out `ws`'s shapes, codes and messages; `closeCode` (the close code the
 * connection is failed with) stays on the error.
 */
import { ProtocolError, type WebSocketError } from '@sansock/core';

/** The `ws`-shaped error: what `ws` would emit, with the core's `code` and `closeCode`. */
export type WsProtocolError = Error & { code: string; closeCode: number };

/**
 * Where the core's code is finer than `ws`'s, or its words differ: `ws`'s code and message. The
 * close code sent is the same (1002, 1007); only what the error says changes.
 */
function wsCodeAndMessage(error: ProtocolError): [code: string, message: string] {
  switch (error.code) {
    case 'WS_ERR_INVALID_CLOSE_PAYLOAD': // a 1-byte close payload
      return ['WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', 'Invalid WebSocket frame: invalid payload length 1'];
    // `ws` calls an opcode out of place an invalid one: a continuation with no message to continue
    // (opcode 0), or a new data frame inside a fragmented message (its opcode).
    case 'WS_ERR_UNEXPECTED_CONTINUATION':
    case 'WS_ERR_EXPECTED_CONTINUATION':
      return ['WS_ERR_INVALID_OPCODE', `Invalid WebSocket frame: invalid opcode ${error.opcode ?? ''}`];
    case 'WS_ERR_INVALID_UTF8': // in a text message or in a close reason alike
      return ['WS_ERR_INVALID_UTF8', 'Invalid WebSocket frame: invalid UTF-8 sequence'];
    default:
      return [error.code, error.message];
  }
}

export function toWsError(error: ProtocolError | WebSocketError): Error {
  if (!(error instanceof ProtocolError)) return error;
  const { closeCode } = error;
  const cause: unknown = (error as { cause?: unknown }).cause;
  // `ws` emits the inflate stream's error itself (the connection is failed with 1007).
  if (error.code === 'WS_ERR_INVALID_COMPRESSED_DATA' && cause instanceof Error) {
    return Object.assign(cause, { closeCode });
  }
  const [code, message] = wsCodeAndMessage(error);
  const Shape = code === 'WS_ERR_INVALID_UTF8' || code === 'WS_ERR_EXTENSION_FAILED' ? Error : RangeError;
  const shaped = new Shape(message) as WsProtocolError;
  shaped.code = code;
  shaped.closeCode = closeCode;
  // Where the core found the fault is the useful trace, under ws's class name and message.
  const frames = error.stack === undefined ? -1 : error.stack.indexOf('\n');
  if (frames >= 0) shaped.stack = `${Shape.name}: ${message}${error.stack!.slice(frames)}`;
  return shaped;
}
