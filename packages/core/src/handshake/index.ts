/** The opening handshake (RFC 6455 §4): pure functions for adapters with an HTTP stack, classes for raw bytes. */
export { HeaderList } from './header-list.js';
export type { HeaderInput, HeaderPairs } from './header-list.js';
export { WEBSOCKET_GUID, computeAcceptKey, generateKey, isValidKey, pureSha1Base64 } from './accept-key.js';
export type { Sha1Base64 } from './accept-key.js';
export { formatExtensionHeader, isToken, parseExtensionHeader, parseTokenList } from './tokens.js';
export { createClientRequest, serializeRequest } from './client-request.js';
export type { ClientRequest, ClientRequestOptions } from './client-request.js';
export { validateServerResponse } from './client-response.js';
export type { AcceptedResponse } from './client-response.js';
export { DEFAULT_PROTOCOL_VERSIONS, createAcceptHeaders, createAcceptLines, validateClientRequest } from './server-request.js';
export type { AcceptedFields, IncomingRequest, ServerHandshakeOptions, ValidatedRequest } from './server-request.js';
export { negotiateExtensions } from './negotiate-extensions.js';
export { STATUS_REASONS, createRejectResponse, reasonPhrase, serializeResponse } from './http-response.js';
export { DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_HEAD_SIZE, HttpHeadParser } from './http-head-parser.js';
export type { HttpHeadLimits, HttpRequestHead, HttpResponseHead } from './http-head-parser.js';
export { ClientHandshake } from './client-handshake.js';
export { ServerHandshake } from './server-handshake.js';
export {
  createExtendedConnectAcceptHeaders,
  createExtendedConnectRequest,
  validateExtendedConnect,
  validateExtendedConnectResponse,
} from './extended-connect.js';
export type { ExtendedConnectClientRequest, ExtendedConnectRequest, ValidatedConnectRequest } from './extended-connect.js';
