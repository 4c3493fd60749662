/** WebSocket-Node's close-reason constants and descriptions, and its rule for codes an app may send. */

export const CLOSE_REASONS = {
  CLOSE_REASON_NORMAL: 1000,
  CLOSE_REASON_GOING_AWAY: 1001,
  CLOSE_REASON_PROTOCOL_ERROR: 1002,
  CLOSE_REASON_UNPROCESSABLE_INPUT: 1003,
  /** Reserved value, undefined meaning. */
  CLOSE_REASON_RESERVED: 1004,
  /** Not to be used on the wire. */
  CLOSE_REASON_NOT_PROVIDED: 1005,
  /** Not to be used on the wire. */
  CLOSE_REASON_ABNORMAL: 1006,
  CLOSE_REASON_INVALID_DATA: 1007,
  CLOSE_REASON_POLICY_VIOLATION: 1008,
  CLOSE_REASON_MESSAGE_TOO_BIG: 1009,
  CLOSE_REASON_EXTENSION_REQUIRED: 1010,
  CLOSE_REASON_INTERNAL_SERVER_ERROR: 1011,
  /** Not to be used on the wire. */
  CLOSE_REASON_TLS_HANDSHAKE_FAILED: 1015,
} as const;

export const CLOSE_DESCRIPTIONS: Readonly<Record<number, string>> = Object.freeze({
  1000: 'Normal connection closure',
  1001: 'Remote peer is going away',
  1002: 'Protocol error',
  1003: 'Unprocessable input',
  1004: 'Reserved',
  1005: 'Reason not provided',
  1006: 'Abnormal closure, no further detail available',
  1007: 'Invalid data received',
  1008: 'Policy violation',
  1009: 'Message too big',
  1010: 'Extension requested by client is required',
  1011: 'Internal Server Error',
  1015: 'TLS Handshake Failed',
});

/**
 * Codes `close()` accepts, as WebSocket-Node has them: the registered ones an endpoint may send,
 * and 3000-4999. (1015 is on WebSocket-Node's list but the core refuses to put it on the wire.)
 */
export function isValidCloseReason(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  return [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014].includes(code);
}
