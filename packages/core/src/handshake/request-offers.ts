/**
 * What a client offers in its opening handshake, read the same way over HTTP/1.1 (RFC 6455
 * §4.2.1 items 6, 8, 9) and over HTTP/2's extended CONNECT (RFC 8441 §5, which keeps these
 * fields unchanged).
 */
import { HandshakeError } from '../errors.js';
import type { ExtensionFactory, ExtensionOffer } from '../extension.js';
import type { HeaderList } from './header-list.js';
import { parseExtensionHeader, parseTokenList } from './tokens.js';

export interface RequestOffers {
  /** 13 or 8 */
  readonly version: number;
  /** Offered subprotocols, in order. */
  readonly protocols: string[];
  readonly extensionOffers: ExtensionOffer[];
  /** Origin, or Sec-WebSocket-Origin for version 8. */
  readonly origin: string | undefined;
}

/** Reads version, subprotocols, extension offers and origin; a HandshakeError says what to answer. */
export function readRequestOffers(
  headers: HeaderList,
  versions: readonly number[],
  extensions: readonly ExtensionFactory[] | undefined,
): RequestOffers | HandshakeError {
  // Item 6, and §4.4: answer with the versions we speak.
  const versionText = headers.get('sec-websocket-version');
  const version = versionText !== undefined && /^\d{1,3}$/.test(versionText) ? Number(versionText) : NaN;
  if (!versions.includes(version)) {
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
  if (extensionHeader !== undefined && (extensions?.length ?? 0) > 0) {
    const parsed = parseExtensionHeader(extensionHeader);
    if (parsed === null) {
      // `ws`'s status and body.
      return new HandshakeError('Invalid or unacceptable Sec-WebSocket-Extensions header', 'WS_ERR_INVALID_EXTENSION_HEADER', 400);
    }
    extensionOffers = parsed;
  }

  // Item 7 (optional): version 8 clients (draft hybi-08) sent Sec-WebSocket-Origin.
  const origin = headers.get(version === 8 ? 'sec-websocket-origin' : 'origin');
  return { version, protocols, extensionOffers, origin };
}
