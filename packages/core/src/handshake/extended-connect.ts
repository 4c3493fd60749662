/**
 * The opening handshake over HTTP/2 (RFC 8441): an extended CONNECT request (`:method CONNECT`,
 * `:protocol websocket`, §4) answered by a 2xx (§5). There is no Sec-WebSocket-Key/-Accept, no
 * Upgrade/Connection (HTTP/2 forbids connection-specific fields, RFC 9113 §8.2.2); the version,
 * subprotocol and extension fields keep their RFC 6455 meaning. Pure functions over header
 * pairs, so any HTTP/2 stack (Node's, Deno's, a test harness) can use them.
 */
import { HandshakeError } from '../errors.js';
import type { ExtensionFactory } from '../extension.js';
import { type ClientRequestOptions, createClientRequest } from './client-request.js';
import { type AcceptedResponse, acceptNegotiated } from './client-response.js';
import { HeaderList, type HeaderInput } from './header-list.js';
import { type RequestOffers, readRequestOffers } from './request-offers.js';
import { DEFAULT_PROTOCOL_VERSIONS, type ServerHandshakeOptions, appendAcceptedFields } from './server-request.js';

/** The request as an HTTP/2 server sees it: the pseudo-header fields, then the regular ones. */
export interface ExtendedConnectRequest {
  readonly method: string;
  /** `:protocol` (RFC 8441 §4); undefined when absent. */
  readonly protocol: string | undefined;
  readonly scheme: string | undefined;
  readonly path: string | undefined;
  readonly authority: string | undefined;
  /** Regular fields only (no pseudo-header fields). */
  readonly headers: HeaderInput;
}

export interface ValidatedConnectRequest extends RequestOffers {
  /** `:path` (path + query). */
  readonly target: string;
  readonly authority: string | undefined;
  readonly headers: HeaderList;
}

/**
 * RFC 8441 §4–5. Never throws on the request: returns a HandshakeError whose `status` is what to
 * answer (405 for another method, 400 for a malformed request or another `:protocol`, 426 for a
 * version we do not speak).
 */
export function validateExtendedConnect(
  request: ExtendedConnectRequest,
  options: ServerHandshakeOptions = {},
): ValidatedConnectRequest | HandshakeError {
  if (request.method !== 'CONNECT') return new HandshakeError('Invalid HTTP method', 'WS_ERR_INVALID_METHOD', 405);
  // §4: "a :protocol pseudo-header field ... MUST be "websocket"" for a WebSocket.
  if (request.protocol !== 'websocket') {
    return new HandshakeError('Invalid :protocol pseudo-header field', 'WS_ERR_INVALID_CONNECT_PROTOCOL', 400);
  }
  // §4: "the :scheme and :path pseudo-header fields MUST be included".
  if (!request.scheme || !request.path) {
    return new HandshakeError('Missing :scheme or :path pseudo-header field', 'WS_ERR_MALFORMED_HTTP', 400);
  }
  const headers = HeaderList.from(request.headers);
  const offers = readRequestOffers(headers, options.protocolVersions ?? DEFAULT_PROTOCOL_VERSIONS, options.extensions);
  if (offers instanceof HandshakeError) return offers;
  return { ...offers, target: request.path, authority: request.authority, headers };
}

/**
 * §5: the fields of the server's 2xx (`:status` is the HTTP/2 stack's): [sec-websocket-protocol],
 * [sec-websocket-extensions], then extra headers. Names are lower case (RFC 9113 §8.2.1).
 * Throws InvalidArgumentError if `protocol` is not a token or a header is malformed (local misuse).
 */
export function createExtendedConnectAcceptHeaders(accepted: {
  readonly protocol?: string;
  readonly extensionsHeader?: string;
  readonly headers?: HeaderInput;
}): Array<[string, string]> {
  return appendAcceptedFields([], accepted).map(([name, value]) => [name.toLowerCase(), value]);
}

/** The client's extended CONNECT: the pseudo-header fields and the regular ones (lower case). */
export interface ExtendedConnectClientRequest {
  readonly authority: string;
  readonly path: string;
  readonly protocols: readonly string[];
  readonly extensions: readonly ExtensionFactory[];
  /** Regular fields: sec-websocket-version, [-protocol], [-extensions], [origin], extra. */
  readonly headers: Array<[string, string]>;
}

/** Fields RFC 8441 drops (§5: no key, no accept) or HTTP/2 forbids (RFC 9113 §8.2.2). */
const NOT_OVER_HTTP2 = new Set(['host', 'connection', 'upgrade', 'sec-websocket-key', 'keep-alive', 'proxy-connection', 'transfer-encoding']);

/**
 * Builds the request with the same checks as `createClientRequest` (`host` becomes
 * `:authority`; a `Host` among the extra headers replaces it). Throws InvalidArgumentError.
 */
export function createExtendedConnectRequest(options: ClientRequestOptions): ExtendedConnectClientRequest {
  const request = createClientRequest(options);
  let authority = request.host;
  const headers: Array<[string, string]> = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') authority = value;
    else if (!NOT_OVER_HTTP2.has(lower)) headers.push([lower, value]);
  }
  return { authority, path: request.path, protocols: request.protocols, extensions: request.extensions, headers };
}

/**
 * §5: a 2xx accepts (Node's and Chromium's servers send 200); the subprotocol and extensions
 * are checked as in RFC 6455 §4.1. Never throws on the server's input; on failure every
 * extension already confirmed is disposed.
 */
export function validateExtendedConnectResponse(
  request: Pick<ExtendedConnectClientRequest, 'protocols' | 'extensions'>,
  response: { readonly status: number; readonly headers: HeaderInput },
): AcceptedResponse | HandshakeError {
  const { status } = response;
  const fail = (message: string, code: HandshakeError['code']): HandshakeError => new HandshakeError(message, code, status);
  if (status < 200 || status > 299) return fail(`Unexpected server response: ${status}`, 'WS_ERR_UNEXPECTED_STATUS');
  return acceptNegotiated(request, HeaderList.from(response.headers), fail);
}
