/**
 * Close status codes, RFC 6455 §7.4 and the IANA registry (§11.7).
 *
 * Some codes are reserved for reporting a state to the local application and must never be
 * put on the wire (§7.4.1: 1005, 1006, 1015).
 */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  /** Reserved, no meaning yet (§7.4.1). */
  RESERVED: 1004,
  /** Reported when the close frame carried no status code; never sent (§7.4.1). */
  NO_STATUS_RECEIVED: 1005,
  /** Reported when the connection closed without a close frame; never sent (§7.4.1). */
  ABNORMAL_CLOSURE: 1006,
  INVALID_PAYLOAD_DATA: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  MANDATORY_EXTENSION: 1010,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
  TRY_AGAIN_LATER: 1013,
  BAD_GATEWAY: 1014,
  /** TLS handshake failure; never sent (§7.4.1). */
  TLS_HANDSHAKE: 1015,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Whether `code` may appear in a close frame on the wire, sent or received.
 *
 * §7.4.2: 0-999 are not used; 1000-2999 are for the protocol and its extensions (only the
 * registered ones are valid: 1000-1003, 1007-1014); 3000-3999 are registered with IANA for
 * libraries and frameworks; 4000-4999 are private use. 1004, 1005, 1006, 1015 and the
 * unassigned 1016-2999 must not be sent.
 */
export function isAllowedOnWire(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}
