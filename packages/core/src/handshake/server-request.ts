/** The server's checks of the client's handshake request (RFC 6455 §4.2.1) and the 101 it answers with (§4.2.2). */
import { HandshakeError, InvalidArgumentError } from '../errors.js';
import type { ExtensionFactory, ExtensionOffer } from '../extension.js';
import { computeAcceptKey, isValidKey } from './accept-key.js';
import { HeaderList, type HeaderInput } from './header-list.js';
import { checkField } from './http-text.js';
import { isToken, parseExtensionHeader, parseTokenList } from './tokens.js';
import { connectionIncludesUpgrade, upgradeIncludesWebSocket } from './upgrade-headers.js';

export interface IncomingRequest {
  readonly method: string;
  /** request-target (path + query). */
  readonly target: string;
  /** "1.1" */
  readonly httpVersion: string;
  readonly headers: HeaderInput;
}

export interface ServerHandshakeOptions {
  /** Accepted Sec-WebSocket-Version values, default [13, 8] (like `ws`). */
  readonly protocolVersions?: readonly number[];
  readonly extensions?: readonly ExtensionFactory[];
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

/** Parses "1.1" (or "HTTP/1.1") into [major, minor]; null if it is not a version. */
function parseHttpVersion(version: string): [number, number] | null {
  const match = /^(?:HTTP\/)?(\d)\.(\d)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : null;
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
  const version = parseHttpVersion(request.httpVersion);
  if (version === null || version[0] < 1 || (version[0] === 1 && version[1] < 1)) {
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
  // Item 6, and §4.4: answer with the versions we speak.
  const versions = options.protocolVersions ?? DEFAULT_PROTOCOL_VERSIONS;
  const versionText = headers.get('sec-websocket-version');
  const wsVersion = versionText !== undefined && /^\d{1,3}$/.test(versionText) ? Number(versionText) : NaN;
  if (!versions.includes(wsVersion)) {
    return new HandshakeError('Missing or invalid Sec-WebSocket-Version header', 'WS_ERR_UNSUPPORTED_VERSION', 426, [
      ['Sec-WebSocket-Version', versions.join(', ')],
    ]);
  }

  // Item 8: a list of unique tokens (§4.1 item 10); the field may repeat.
  let protocols: string[] = [];
  const protocolHeader = headers.get('sec-websocket-protocol');
  if (protocolHeader !== undefined) {
    const parsed = parseTokenList(protocolHeader);
    if (parsed === null || parsed.length === 0 || new Set(parsed).size !== parsed.length) {
      return new HandshakeError('Invalid Sec-WebSocket-Protocol header', 'WS_ERR_INVALID_PROTOCOL_HEADER', 400);
    }
    protocols = parsed;
  }

  // Item 9. Like `ws`, a server with no extensions does not read the header at all, so a
  // malformed one only fails a server that would have negotiated.
  let extensionOffers: ExtensionOffer[] = [];
  const extensionHeader = headers.get('sec-websocket-extensions');
  if (extensionHeader !== undefined && (options.extensions?.length ?? 0) > 0) {
    const parsed = parseExtensionHeader(extensionHeader);
    if (parsed === null) {
      // `ws`'s status and body.
      return new HandshakeError('Invalid or unacceptable Sec-WebSocket-Extensions header', 'WS_ERR_INVALID_EXTENSION_HEADER', 400);
    }
    extensionOffers = parsed;
  }

  // Item 7 (optional): version 8 clients (draft hybi-08) sent Sec-WebSocket-Origin.
  const origin = headers.get(wsVersion === 8 ? 'sec-websocket-origin' : 'origin');
  return { key, version: wsVersion, protocols, extensionOffers, origin, target: request.target, headers };
}

/**
 * §4.2.2 step 5: the 101 response headers: Upgrade, Connection, Sec-WebSocket-Accept,
 * [Sec-WebSocket-Protocol], [Sec-WebSocket-Extensions], then extra headers.
 * Throws InvalidArgumentError if `protocol` is not a token or a header is malformed (local misuse).
 */
export function createAcceptHeaders(
  request: ValidatedRequest,
  accepted: { readonly protocol?: string; readonly extensionsHeader?: string; readonly headers?: HeaderInput },
): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Accept', computeAcceptKey(request.key)],
  ];
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
