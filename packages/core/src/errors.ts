import { CloseCode } from './close-code.js';

/**
 * Stable string codes. Apps and tests match on these, never on the message text.
 * The `WS_ERR_*` names follow the `ws` package where the meaning is the same, so code written
 * against `ws` keeps working.
 */
export type ProtocolErrorCode =
  | 'WS_ERR_INVALID_OPCODE'
  | 'WS_ERR_UNEXPECTED_RSV_1'
  | 'WS_ERR_UNEXPECTED_RSV_2_3'
  | 'WS_ERR_EXPECTED_FIN'
  | 'WS_ERR_EXPECTED_MASK'
  | 'WS_ERR_UNEXPECTED_MASK'
  | 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH'
  | 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH'
  | 'WS_ERR_UNEXPECTED_CONTINUATION'
  | 'WS_ERR_EXPECTED_CONTINUATION'
  | 'WS_ERR_INVALID_CLOSE_CODE'
  | 'WS_ERR_INVALID_CLOSE_PAYLOAD'
  | 'WS_ERR_INVALID_UTF8'
  | 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
  | 'WS_ERR_TOO_MANY_BUFFERED_PARTS'
  | 'WS_ERR_INVALID_COMPRESSED_DATA'
  | 'WS_ERR_EXTENSION_FAILED';

export type HandshakeErrorCode =
  | 'WS_ERR_HEAD_TOO_LARGE'
  | 'WS_ERR_TOO_MANY_HEADERS'
  | 'WS_ERR_MALFORMED_HTTP'
  | 'WS_ERR_INVALID_METHOD'
  | 'WS_ERR_INVALID_HTTP_VERSION'
  | 'WS_ERR_INVALID_UPGRADE_HEADER'
  | 'WS_ERR_INVALID_CONNECTION_HEADER'
  | 'WS_ERR_INVALID_KEY'
  | 'WS_ERR_UNSUPPORTED_VERSION'
  | 'WS_ERR_INVALID_PROTOCOL_HEADER'
  | 'WS_ERR_INVALID_EXTENSION_HEADER'
  | 'WS_ERR_UNEXPECTED_STATUS'
  | 'WS_ERR_INVALID_ACCEPT'
  | 'WS_ERR_UNEXPECTED_PROTOCOL'
  | 'WS_ERR_UNEXPECTED_EXTENSION'
  | 'WS_ERR_INVALID_OPTION'
  // RFC 8441 (HTTP/2): an extended CONNECT whose :protocol is not "websocket".
  | 'WS_ERR_INVALID_CONNECT_PROTOCOL';

/** Base class of every error this library creates. `code` is the stable string to match on. */
export class WebSocketError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The peer broke RFC 6455 / RFC 7692. Never thrown by the core: it is reported in an `error`
 * event and the connection is failed with `closeCode` (RFC 6455 §7.1.7).
 */
export class ProtocolError extends WebSocketError {
  declare readonly code: ProtocolErrorCode;
  /** The close code the connection is failed with (1002, 1007, 1009, ...). */
  readonly closeCode: CloseCode;
  /** The offending frame's opcode, where the fault is the opcode itself (unknown, or wrong in this place). */
  readonly opcode: number | undefined;
  constructor(message: string, code: ProtocolErrorCode, closeCode: CloseCode, opcode?: number) {
    super(message, code);
    this.closeCode = closeCode;
    this.opcode = opcode;
  }
}

/**
 * The opening handshake failed or was malformed. `status` is the HTTP status a server should
 * answer with (400, 426, ...); on the client side it is the status that was received, if any.
 */
export class HandshakeError extends WebSocketError {
  declare readonly code: HandshakeErrorCode;
  readonly status: number | undefined;
  /** Extra response headers a server should send with the rejection (e.g. Sec-WebSocket-Version on 426). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  constructor(
    message: string,
    code: HandshakeErrorCode,
    status?: number,
    headers: ReadonlyArray<readonly [string, string]> = [],
  ) {
    super(message, code);
    this.status = status;
    this.headers = headers;
  }
}

/**
 * The local application asked for something the connection's state does not allow (sending
 * after close, a second close frame, ...). Thrown synchronously; names the role, the state and
 * the attempted action.
 */
export class InvalidStateError extends WebSocketError {
  declare readonly code: 'WS_ERR_INVALID_STATE';
  readonly role: string;
  readonly state: string;
  readonly action: string;
  constructor(role: string, state: string, action: string) {
    super(`Cannot ${action}: the ${role} connection is ${state}`, 'WS_ERR_INVALID_STATE');
    this.role = role;
    this.state = state;
    this.action = action;
  }
}

/** The local application passed an invalid argument (a close code that may not be sent, a reason over 123 bytes, ...). */
export class InvalidArgumentError extends WebSocketError {
  declare readonly code: 'WS_ERR_INVALID_ARGUMENT';
  constructor(message: string) {
    super(message, 'WS_ERR_INVALID_ARGUMENT');
  }
}

/** Shorthands so the RFC rules read as one line each. */
export const protocolError = (message: string, code: ProtocolErrorCode, opcode?: number): ProtocolError =>
  new ProtocolError(message, code, CloseCode.PROTOCOL_ERROR, opcode);
