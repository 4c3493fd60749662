import { CloseCode, isAllowedOnWire } from './close-code.js';
import { EMPTY, utf8Decode, utf8Encode } from './bytes.js';
import { InvalidArgumentError, ProtocolError, protocolError } from './errors.js';
import { isValidUtf8 } from './utf8.js';

/** The largest close reason: a control payload is at most 125 bytes, 2 of them the code (§5.5.1). */
export const MAX_CLOSE_REASON_BYTES = 123;

export interface ClosePayload {
  /** The status code, or 1005 when the frame carried none (§7.1.5). */
  readonly code: number;
  readonly reason: string;
}

/**
 * Reads a received close frame's payload (§5.5.1): empty, or a 2-byte code in network order
 * followed by a UTF-8 reason. A 1-byte payload or a code that may not be sent fails with 1002;
 * an invalid reason with 1007 (§8.1).
 */
export function decodeClosePayload(payload: Uint8Array): ClosePayload | ProtocolError {
  if (payload.length === 0) return { code: CloseCode.NO_STATUS_RECEIVED, reason: '' };
  if (payload.length === 1) {
    return protocolError('Invalid WebSocket frame: a close payload of 1 byte', 'WS_ERR_INVALID_CLOSE_PAYLOAD');
  }
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isAllowedOnWire(code)) {
    return protocolError(`Invalid WebSocket frame: invalid status code ${code}`, 'WS_ERR_INVALID_CLOSE_CODE');
  }
  const reasonBytes = payload.subarray(2);
  if (!isValidUtf8(reasonBytes)) {
    return new ProtocolError(
      'Invalid WebSocket frame: invalid UTF-8 sequence in the close reason',
      'WS_ERR_INVALID_UTF8',
      CloseCode.INVALID_PAYLOAD_DATA,
    );
  }
  return { code, reason: utf8Decode(reasonBytes) };
}

/**
 * Builds a close payload for the local application's close(). Invalid arguments are the
 * app's mistake, so they throw.
 */
export function encodeClosePayload(code?: number, reason: string | Uint8Array = EMPTY): Uint8Array {
  if (code === undefined) return EMPTY;
  if (!isAllowedOnWire(code)) {
    throw new InvalidArgumentError(`Invalid close code ${code}: it may not be sent (RFC 6455 §7.4)`);
  }
  const reasonBytes = typeof reason === 'string' ? utf8Encode(reason) : reason;
  if (reasonBytes.length > MAX_CLOSE_REASON_BYTES) {
    throw new InvalidArgumentError(`The close reason must not be greater than ${MAX_CLOSE_REASON_BYTES} bytes`);
  }
  const payload = new Uint8Array(2 + reasonBytes.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(reasonBytes, 2);
  return payload;
}
