/** The client's opening handshake request (RFC 6455 §4.1). */
import { InvalidArgumentError } from '../errors.js';
import type { ExtensionFactory, ExtensionOffer } from '../extension.js';
import type { RandomFill } from '../mask.js';
import { generateKey } from './accept-key.js';
import { HeaderList, type HeaderInput } from './header-list.js';
import { checkField, formatFields, isFieldValue, latin1Encode } from './http-text.js';
import { formatExtensionHeader, isToken } from './tokens.js';

export interface ClientRequestOptions {
  /** Host header value, e.g. "example.com:8080". */
  readonly host: string;
  /** request-target, e.g. "/chat?room=1". */
  readonly path: string;
  /** Sec-WebSocket-Protocol values: tokens, no duplicates (else InvalidArgumentError). */
  readonly protocols?: readonly string[];
  readonly extensions?: readonly ExtensionFactory[];
  /** Origin (version 13) or Sec-WebSocket-Origin (version 8), like `ws`. */
  readonly origin?: string;
  /**
   * Extra headers (auth, cookies...), appended after ours. One named like a header we set:
   * `Host` and `Origin` / `Sec-WebSocket-Origin` replace ours (as `headers.host` does with
   * `ws` and Node's http); the handshake's own fields (Connection, Upgrade,
   * Sec-WebSocket-Version/-Key/-Protocol/-Extensions) keep our value and the extra one is dropped.
   */
  readonly headers?: HeaderInput;
  /** Default 13. */
  readonly protocolVersion?: 8 | 13;
  readonly randomFill?: RandomFill;
}

export interface ClientRequest {
  readonly key: string;
  readonly host: string;
  readonly path: string;
  readonly protocols: readonly string[];
  /** The factories whose offers are in the request (a factory with no offers is left out). */
  readonly extensions: readonly ExtensionFactory[];
  /** Every request header, in order: Host, Connection, Upgrade, Sec-WebSocket-Version, Sec-WebSocket-Key,
   *  [Sec-WebSocket-Protocol], [Sec-WebSocket-Extensions], [Origin], extra. */
  readonly headers: Array<[string, string]>;
}

/** Headers we set that an extra header of the same name may replace. */
const REPLACEABLE = new Set(['host', 'origin', 'sec-websocket-origin']);

/** Builds the request with a fresh key. Throws InvalidArgumentError on bad options (local misuse). */
export function createClientRequest(options: ClientRequestOptions): ClientRequest {
  const version = options.protocolVersion ?? 13;
  if (version !== 13 && version !== 8) throw new InvalidArgumentError(`Unsupported protocol version: ${String(version)}`);
  if (options.host.length === 0 || !isFieldValue(options.host) || /[\s]/.test(options.host)) {
    throw new InvalidArgumentError(`Invalid host: ${JSON.stringify(options.host)}`);
  }
  // RFC 9112 §3.2: request-target has no whitespace (it would split the request line).
  if (options.path.length === 0 || !isFieldValue(options.path) || /[\s]/.test(options.path)) {
    throw new InvalidArgumentError(`Invalid request path: ${JSON.stringify(options.path)}`);
  }

  // §4.1 item 10: "each of which MUST be a unique ... token".
  const protocols = [...(options.protocols ?? [])];
  const seen = new Set<string>();
  for (const protocol of protocols) {
    // A JavaScript caller may pass anything: a non-string is invalid, not a crash.
    if (typeof protocol !== 'string' || !isToken(protocol) || seen.has(protocol)) {
      throw new InvalidArgumentError(`An invalid or duplicated subprotocol was specified: ${JSON.stringify(protocol)}`);
    }
    seen.add(protocol);
  }

  const offered: ExtensionFactory[] = [];
  const offers: ExtensionOffer[] = [];
  for (const factory of options.extensions ?? []) {
    if (offered.some((other) => other.name === factory.name)) {
      throw new InvalidArgumentError(`Extension ${factory.name} was given twice`);
    }
    const own = factory.offers();
    if (own.length === 0) continue;
    offered.push(factory);
    offers.push(...own);
  }

  const key = generateKey(options.randomFill);
  const headers: Array<[string, string]> = [
    ['Host', options.host],
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Version', String(version)],
    ['Sec-WebSocket-Key', key],
  ];
  if (protocols.length > 0) headers.push(['Sec-WebSocket-Protocol', protocols.join(', ')]);
  if (offers.length > 0) headers.push(['Sec-WebSocket-Extensions', formatExtensionHeader(offers)]);
  if (options.origin !== undefined) headers.push([version === 8 ? 'Sec-WebSocket-Origin' : 'Origin', options.origin]);
  const ownCount = headers.length;
  for (const [name, value] of HeaderList.from(options.headers ?? []).entries()) {
    const lower = name.toLowerCase();
    const ours = headers.findIndex(([own], i) => i < ownCount && own.toLowerCase() === lower);
    if (ours < 0) headers.push([name, value]);
    else if (REPLACEABLE.has(lower)) headers[ours] = [name, value];
  }
  for (const [name, value] of headers) checkField(name, value);

  return { key, host: options.host, path: options.path, protocols, extensions: offered, headers };
}

/** "GET <path> HTTP/1.1\r\n" + headers + "\r\n" as bytes, for raw-socket clients. */
export function serializeRequest(request: ClientRequest): Uint8Array {
  return latin1Encode(`GET ${request.path} HTTP/1.1\r\n${formatFields(request.headers)}\r\n`);
}
