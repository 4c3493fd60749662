/**
 * @sansock/core: RFC 6455 (and the extension interface for RFC 7692) as a sans-IO state
 * machine. Bytes in, events and bytes out; no sockets, timers or runtime-specific APIs.
 */
export { Connection } from './connection.js';
export type { SendOptions } from './connection.js';
export { DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_PAYLOAD } from './connection-options.js';
export type { ConnectionOptions, Role } from './connection-options.js';
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
// The option types of ConnectionOptions (nativeMask, allocate). The frame layer itself (parser,
// serializer, opcodes, masking, UTF-8) is on the `@sansock/core/frames` sub-path, the pure
// DEFLATE streams on `@sansock/core/deflate`.
export type { NativeMask } from './mask.js';
export type { ByteView } from './frame-parser.js';
export type { Allocate } from './bytes.js';
export * from './handshake/index.js';
export * from './permessage-deflate/index.js';
