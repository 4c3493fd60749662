/**
 * `WebSocketError` and the close-info checks of the WHATWG WebSocketStream (the WebSockets
 * standard's proposal, whatwg/websockets#48, as Chromium ships it): a DOMException that carries
 * a close code and reason. Passed to `writable.abort()` or `readable.cancel()` it closes the
 * connection with them; `opened` and `closed` reject with one when the connection fails.
 */
import { MAX_CLOSE_REASON_BYTES } from '@sansock/core';

export interface WebSocketCloseInfo {
  /** 1000, or 3000–4999 (the codes an application may send, as for `WebSocket.close()`). */
  closeCode?: number;
  /** At most 123 bytes of UTF-8 (RFC 6455 §5.5: a control frame carries at most 125 bytes, 2 are the code). */
  reason?: string;
}

/** What `WebSocketStream.closed` resolves with. */
export interface WebSocketCloseResult {
  /** 1005 when the peer's close frame had no code. */
  closeCode: number;
  reason: string;
}

/**
 * Checks close info the way the standard's close steps do: a code other than 1000 or
 * 3000–4999 is an `InvalidAccessError`, a reason over 123 bytes a `SyntaxError`, and a reason
 * without a code means 1000. Returns the code (undefined: none) and reason to send.
 */
export function checkCloseInfo(closeCode: number | undefined, reason: string | undefined): { closeCode: number | undefined; reason: string } {
  if (closeCode !== undefined) {
    if (typeof closeCode !== 'number' || !Number.isInteger(closeCode) || (closeCode !== 1000 && (closeCode < 3000 || closeCode > 4999))) {
      throw new DOMException(`The close code must be either 1000, or between 3000 and 4999. ${String(closeCode)} is neither.`, 'InvalidAccessError');
    }
  }
  const text = reason === undefined ? '' : String(reason);
  if (Buffer.byteLength(text) > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`The close reason must not be greater than ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes.`, 'SyntaxError');
  }
  return { closeCode: closeCode === undefined && text !== '' ? 1000 : closeCode, reason: text };
}

export class WebSocketError extends DOMException {
  /** The close code (null when none was given); 1006 when the connection failed. */
  readonly closeCode: number | null;
  readonly reason: string;

  constructor(message = '', init: WebSocketCloseInfo = {}) {
    super(message, 'WebSocketError');
    const checked = checkCloseInfo(init.closeCode, init.reason);
    this.closeCode = checked.closeCode ?? null;
    this.reason = checked.reason;
  }
}

/** The error `opened`, `closed` and the streams fail with when the connection did not close cleanly (close code 1006, §7.1.5). */
export function connectionFailed(message: string): WebSocketError {
  const error = new WebSocketError(message);
  // 1006 is not a code an application may pass (the constructor refuses it): set after the checks.
  Object.defineProperty(error, 'closeCode', { value: 1006, enumerable: true });
  return error;
}
