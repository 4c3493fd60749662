/** The server's checks of the client's handshake request (RFC 6455 §4.2.1) and the 101 it answers with (§4.2.2). */
import { HandshakeError, InvalidArgumentError } from '../errors.js';
import type { ExtensionFactory, ExtensionOffer } from '../extension.js';
import { readRequestOffers } from './request-offers.js';
import { type Sha1Base64, computeAcceptKey, isValidKey } from './accept-key.js';
import { HeaderList, type HeaderInput } from './header-list.js';
import { checkField, isFieldValue } from './http-text.js';
import { isToken } from './tokens.js';
import { connectionIncludesUpgrade, upgradeIncludesWebSocket } from './upgrade-headers.js';

export interface IncomingRequest {
  readonly method: string;
  /** request-target (path + query). */
  readonly target: string;
  /** "1.1" */
  readonly httpVersion: string;
  /** A HeaderList (e.g. `HeaderList.fromRaw(req.rawHeaders)`) is used as it is, not copied. */
  readonly headers: HeaderInput | HeaderList;
}

export interface ServerHandshakeOptions {
  /** Accepted Sec-WebSocket-Version values, default [13, 8] (like `ws`). */
  readonly protocolVersions?: readonly number[];
  readonly extensions?: readonly ExtensionFactory[];
  /** A native SHA-1 for the accept key (see `Sha1Base64`); default the core's pure one. */
  readonly sha1Base64?: Sha1Base64;
}

/** What the server answers with in its 101 (or, for RFC 8441, its 2xx). */
export interface AcceptedFields {
  readonly protocol?: string;
  readonly extensionsHeader?: string;
  readonly headers?: HeaderInput;
  /** A native SHA-1 for the accept key (see `Sha1Base64`); default the core's pure one. */
  readonly sha1Base64?: Sha1Base64;
}

export interface ValidatedRequest {
  readonly key: string;
  /** 13 or 8 */
  readonly version: number;
  /** Offered subprotocols, in order. */
  readonly protocols: string[];
  readonly extensionOffers: ExtensionOffer[];
  /** Origin, or Sec-WebSocket-Origin for version 8. */
  readonly origin: string | undefined;
  readonly target: string;
  readonly headers: HeaderList;
}

export const DEFAULT_PROTOCOL_VERSIONS: readonly number[] = [13, 8];

/**
 * Whether "1.1" (or "HTTP/1.1") names HTTP/1.1 or higher (§4.2.1 item 1): one digit, ".", one
 * digit. Read in place: this runs once per handshake.
 */
function isHttp11OrHigher(version: string): boolean {
  const at = version.length === 8 && version.startsWith('HTTP/') ? 5 : version.length === 3 ? 0 : -1;
  if (at < 0 || version.charCodeAt(at + 1) !== 0x2e /* . */) return false;
  const major = version.charCodeAt(at) - 0x30;
  const minor = version.charCodeAt(at + 2) - 0x30;
  if (major < 0 || major > 9 || minor < 0 || minor > 9) return false;
  return major > 1 || (major === 1 && minor >= 1);
}

/**
 * RFC 6455 §4.2.1. Never throws on the request: returns a HandshakeError whose `status` is what
 * to answer (405 for a method other than GET, like `ws`; 426 with `Sec-WebSocket-Version` for a
 * version we do not speak, §4.4; 400 otherwise).
 */
export function validateClientRequest(
  request: IncomingRequest,
  options: ServerHandshakeOptions = {},
): ValidatedRequest | HandshakeError {
  const headers = HeaderList.from(request.headers);

  // Item 1: "an HTTP/1.1 or higher GET request".
  if (request.method !== 'GET') return new HandshakeError('Invalid HTTP method', 'WS_ERR_INVALID_METHOD', 405);
  if (!isHttp11OrHigher(request.httpVersion)) {
    return new HandshakeError('Invalid HTTP version', 'WS_ERR_INVALID_HTTP_VERSION', 400);
  }
  // Items 3 and 4.
  if (!upgradeIncludesWebSocket(headers.get('upgrade'))) {
    return new HandshakeError('Invalid Upgrade header', 'WS_ERR_INVALID_UPGRADE_HEADER', 400);
  }
  if (!connectionIncludesUpgrade(headers.get('connection'))) {
    return new HandshakeError('Invalid Connection header', 'WS_ERR_INVALID_CONNECTION_HEADER', 400);
  }
  // Item 5: base64 of 16 bytes. A repeated field joins to something longer, so it fails here.
  const key = headers.get('sec-websocket-key');
  if (key === undefined || !isValidKey(key)) {
    return new HandshakeError('Missing or invalid Sec-WebSocket-Key header', 'WS_ERR_INVALID_KEY', 400);
  }
  const offers = readRequestOffers(headers, options.protocolVersions ?? DEFAULT_PROTOCOL_VERSIONS, options.extensions);
  if (offers instanceof HandshakeError) return offers;
  // The spread last: followed by more properties it is a slow clone in V8 (issue 21).
  return { key, target: request.target, headers, ...offers };
}

/**
 * §4.2.2 step 5: the 101 response headers: Upgrade, Connection, Sec-WebSocket-Accept,
 * [Sec-WebSocket-Protocol], [Sec-WebSocket-Extensions], then extra headers.
 * Throws InvalidArgumentError if `protocol` is not a token or a header is malformed (local misuse).
 */
export function createAcceptHeaders(request: ValidatedRequest, accepted: AcceptedFields): Array<[string, string]> {
  return appendAcceptedFields(
    [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', computeAcceptKey(request.key, accepted.sha1Base64)],
    ],
    accepted,
  );
}

/**
 * The 101 response as the lines of its head, status line first (`ws`'s 'headers' event shows
 * these): the same fields as `createAcceptHeaders` without extra headers, built as text
 * directly. Join them with CRLF and end with an empty line to write them. Throws
 * InvalidArgumentError if `protocol` is not a token or the extensions header not a field value.
 */
export function createAcceptLines(
  request: ValidatedRequest,
  accepted: Omit<AcceptedFields, 'headers'>,
): string[] {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${computeAcceptKey(request.key, accepted.sha1Base64)}`,
  ];
  const { protocol, extensionsHeader } = accepted;
  if (protocol !== undefined && protocol !== '') {
    if (!isToken(protocol)) throw new InvalidArgumentError(`Invalid subprotocol: ${JSON.stringify(protocol)}`);
    lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  }
  if (extensionsHeader !== undefined && extensionsHeader !== '') {
    if (!isFieldValue(extensionsHeader)) {
      throw new InvalidArgumentError(`Invalid value for header Sec-WebSocket-Extensions: ${JSON.stringify(extensionsHeader)}`);
    }
    lines.push(`Sec-WebSocket-Extensions: ${extensionsHeader}`);
  }
  return lines;
}

/**
 * Appends [Sec-WebSocket-Protocol], [Sec-WebSocket-Extensions] and extra headers to a response's
 * own fields (the 101's, or RFC 8441's 2xx which has none), checking every field.
 */
export function appendAcceptedFields(headers: Array<[string, string]>, accepted: AcceptedFields): Array<[string, string]> {
  if (accepted.protocol !== undefined && accepted.protocol !== '') {
    if (!isToken(accepted.protocol)) throw new InvalidArgumentError(`Invalid subprotocol: ${JSON.stringify(accepted.protocol)}`);
    headers.push(['Sec-WebSocket-Protocol', accepted.protocol]);
  }
  if (accepted.extensionsHeader !== undefined && accepted.extensionsHeader !== '') {
    headers.push(['Sec-WebSocket-Extensions', accepted.extensionsHeader]);
  }
  for (const [name, value] of HeaderList.from(accepted.headers ?? []).entries()) headers.push([name, value]);
  for (const [name, value] of headers) checkField(name, value);
  return headers;
}
