/**
 * @sansock/core: RFC 6455 (and the extension interface for RFC 7692) as a sans-IO state
 * machine. Bytes in, events and bytes out; no sockets, timers or runtime-specific APIs.
 */
export { Connection, DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_PAYLOAD } from './connection.js';
export type { ConnectionOptions, Role, SendOptions } from './connection.js';
export { ConnectionState, readyStateOf } from './connection-state.js';
export { DONE, NEED_DATA, PENDING } from './events.js';
export type {
  CloseEvent,
  ClosedEvent,
  CloseTransportEvent,
  ConnectionEvent,
  ErrorEvent,
  FragmentEvent,
  MessageEvent,
  NoEvent,
  PingEvent,
  PongEvent,
  StartCloseTimerEvent,
} from './events.js';
export { CloseCode, isAllowedOnWire } from './close-code.js';
export { MAX_CLOSE_REASON_BYTES, decodeClosePayload, encodeClosePayload } from './close-frame.js';
export type { ClosePayload } from './close-frame.js';
export {
  HandshakeError,
  InvalidArgumentError,
  InvalidStateError,
  ProtocolError,
  WebSocketError,
} from './errors.js';
export type { HandshakeErrorCode, ProtocolErrorCode } from './errors.js';
export type { Extension, ExtensionFactory, ExtensionOffer, ExtensionParam, ExtensionResult } from './extension.js';
export { Opcode, isControlOpcode, isKnownOpcode } from './opcode.js';
export { FrameParser } from './frame-parser.js';
export { MAX_CONTROL_PAYLOAD, RSV1, RSV2, RSV3, checkHeader } from './frame-header.js';
export type { FrameHeader, FrameRules } from './frame-header.js';
export { encodeFrame } from './frame-serializer.js';
export type { FrameOptions } from './frame-serializer.js';
export { MaskKeySource, applyMask, cryptoRandomFill, maskInto } from './mask.js';
export type { NativeMask, RandomFill } from './mask.js';
export { Utf8Validator, isValidUtf8 } from './utf8.js';
export { type Allocate, concatBytes } from './bytes.js';
export * from './handshake/index.js';
export * from './permessage-deflate/index.js';
