import { ProtocolError, protocolError } from './errors.js';
import { CloseCode } from './close-code.js';
import { Opcode, isControlOpcode, isKnownOpcode } from './opcode.js';

/** A frame's header, RFC 6455 §5.2. */
export interface FrameHeader {
  readonly fin: boolean;
  /** The RSV1-3 bits as they sit in the first byte (RSV1 = 0x40, RSV2 = 0x20, RSV3 = 0x10). */
  readonly rsv: number;
  readonly opcode: number;
  /** Payload length in bytes (the 7, 16 or 64-bit field, decoded). */
  readonly length: number;
  /** The 4-byte masking key, or undefined for an unmasked frame. */
  readonly maskKey: Uint8Array | undefined;
}

export const RSV1 = 0x40;
export const RSV2 = 0x20;
export const RSV3 = 0x10;
export const RSV_ALL = RSV1 | RSV2 | RSV3;

/** The largest control frame payload (§5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

/** What a receiver accepts; fixed for a connection once the handshake is done. */
export interface FrameRules {
  /** §5.1: a server must receive masked frames, a client unmasked ones. */
  readonly expectMasked: boolean;
  /** RSV bits claimed by negotiated extensions (§5.2: any other set bit fails the connection). */
  readonly allowedRsv: number;
}

/**
 * Checks a header against §5.2 / §5.5 and the per-message extension rule (RFC 7692 §6: RSV
 * bits belong to a message's first frame). Returns the violation, or undefined.
 */
export function checkHeader(header: FrameHeader, rules: FrameRules): ProtocolError | undefined {
  return headerViolation(header, rules.expectMasked, rules.allowedRsv);
}

/** `checkHeader` with the rules passed as values (a parser keeps them in its own fields, not an object). */
export function headerViolation(header: FrameHeader, expectMasked: boolean, allowedRsv: number): ProtocolError | undefined {
  const { opcode, rsv } = header;
  if (!isKnownOpcode(opcode)) {
    return protocolError(`Invalid WebSocket frame: invalid opcode ${opcode}`, 'WS_ERR_INVALID_OPCODE', opcode);
  }
  const control = isControlOpcode(opcode);
  if (rsv !== 0) {
    const allowed = control || opcode === Opcode.CONTINUATION ? 0 : allowedRsv;
    const unexpected = rsv & ~allowed;
    if ((unexpected & RSV1) !== 0) {
      return protocolError('Invalid WebSocket frame: RSV1 must be clear', 'WS_ERR_UNEXPECTED_RSV_1');
    }
    if (unexpected !== 0) {
      return protocolError('Invalid WebSocket frame: RSV2 and RSV3 must be clear', 'WS_ERR_UNEXPECTED_RSV_2_3');
    }
  }
  if (control) {
    if (!header.fin) return protocolError('Invalid WebSocket frame: FIN must be set', 'WS_ERR_EXPECTED_FIN');
    if (header.length > MAX_CONTROL_PAYLOAD) {
      return protocolError(
        `Invalid WebSocket frame: invalid payload length ${header.length}`,
        'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH',
      );
    }
  }
  const masked = header.maskKey !== undefined;
  if (masked !== expectMasked) {
    return masked
      ? protocolError('Invalid WebSocket frame: MASK must be clear', 'WS_ERR_UNEXPECTED_MASK')
      : protocolError('Invalid WebSocket frame: MASK must be set', 'WS_ERR_EXPECTED_MASK');
  }
  return undefined;
}

/** §5.2: a 64-bit length whose most significant bit is set is invalid. */
export const lengthTopBitError = (): ProtocolError =>
  protocolError('Invalid WebSocket frame: 64-bit length with the most significant bit set', 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH');

/** A length JavaScript cannot index exactly; refused before anything is allocated. */
export const lengthTooLargeError = (): ProtocolError =>
  new ProtocolError(
    'Unsupported WebSocket frame: payload length > 2^53 - 1',
    'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH',
    CloseCode.MESSAGE_TOO_BIG,
  );
