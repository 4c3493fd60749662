/** The client's checks of the server's handshake response (RFC 6455 §4.1, "the client MUST validate"). */
import { HandshakeError, type HandshakeErrorCode } from '../errors.js';
import type { Extension } from '../extension.js';
import { computeAcceptKey } from './accept-key.js';
import type { ClientRequest } from './client-request.js';
import { HeaderList, type HeaderInput } from './header-list.js';
import { parseExtensionHeader } from './tokens.js';
import { connectionIncludesUpgrade, upgradeIncludesWebSocket } from './upgrade-headers.js';

export interface AcceptedResponse {
  /** The subprotocol the server chose; '' when none was offered. */
  readonly protocol: string;
  /** Confirmed extension instances, in response-header order. */
  readonly extensions: Extension[];
  /** The server's Sec-WebSocket-Extensions ('' if none). */
  readonly extensionsHeader: string;
}

/**
 * Returns the accepted protocol and extensions, or a HandshakeError (never throws on the
 * server's input). On failure, every extension already confirmed is disposed.
 */
export function validateServerResponse(
  request: ClientRequest,
  response: { readonly status: number; readonly headers: HeaderInput },
): AcceptedResponse | HandshakeError {
  const { status } = response;
  const fail = (message: string, code: HandshakeErrorCode): HandshakeError => new HandshakeError(message, code, status);

  // §4.1 item 1: anything but 101 means the handshake did not complete.
  if (status !== 101) return fail(`Unexpected server response: ${status}`, 'WS_ERR_UNEXPECTED_STATUS');
  const headers = HeaderList.from(response.headers);
  // Items 2 and 3.
  if (!upgradeIncludesWebSocket(headers.get('upgrade'))) return fail('Invalid Upgrade header', 'WS_ERR_INVALID_UPGRADE_HEADER');
  if (!connectionIncludesUpgrade(headers.get('connection'))) {
    return fail('Invalid Connection header', 'WS_ERR_INVALID_CONNECTION_HEADER');
  }
  // Item 4.
  if (headers.get('sec-websocket-accept') !== computeAcceptKey(request.key)) {
    return fail('Invalid Sec-WebSocket-Accept header', 'WS_ERR_INVALID_ACCEPT');
  }

  return acceptNegotiated(request, headers, fail);
}

/**
 * Items 5 and 6 of §4.1: the subprotocol and the extensions the server chose must be among
 * those offered. Shared with RFC 8441's response (§5 keeps both fields as they are).
 */
export function acceptNegotiated(
  request: Pick<ClientRequest, 'protocols' | 'extensions'>,
  headers: HeaderList,
  fail: (message: string, code: HandshakeErrorCode) => HandshakeError,
): AcceptedResponse | HandshakeError {
  // Item 6: the subprotocol must be one we offered. Like `ws` 8, a server that answers without
  // one while we offered some fails too ("Server sent no subprotocol").
  const protocol = headers.get('sec-websocket-protocol');
  if (protocol !== undefined) {
    if (request.protocols.length === 0) {
      return fail('Server sent a subprotocol but none was requested', 'WS_ERR_UNEXPECTED_PROTOCOL');
    }
    if (!request.protocols.includes(protocol)) return fail('Server sent an invalid subprotocol', 'WS_ERR_UNEXPECTED_PROTOCOL');
  } else if (request.protocols.length > 0) {
    return fail('Server sent no subprotocol', 'WS_ERR_UNEXPECTED_PROTOCOL');
  }

  // Item 5: only extensions we offered, each confirmed by its factory (§9.1).
  const extensionsHeader = headers.get('sec-websocket-extensions');
  const extensions: Extension[] = [];
  if (extensionsHeader !== undefined) {
    const failAndDispose = (message: string, code: HandshakeErrorCode): HandshakeError => {
      for (const extension of extensions) extension.dispose?.();
      return fail(message, code);
    };
    if (request.extensions.length === 0) {
      return fail('Server sent a Sec-WebSocket-Extensions header but no extension was requested', 'WS_ERR_UNEXPECTED_EXTENSION');
    }
    const responses = parseExtensionHeader(extensionsHeader);
    if (responses === null) return fail('Invalid Sec-WebSocket-Extensions header', 'WS_ERR_INVALID_EXTENSION_HEADER');
    const seen = new Set<string>();
    let usedRsv = 0;
    for (const answer of responses) {
      const factory = request.extensions.find((candidate) => candidate.name === answer.name);
      if (factory === undefined || seen.has(answer.name)) {
        // `ws`'s message, word for word: applications match on it (the code tells the cases apart).
        return failAndDispose('Server indicated an extension that was not requested', 'WS_ERR_UNEXPECTED_EXTENSION');
      }
      seen.add(answer.name);
      const confirmed = factory.confirm(answer);
      if (typeof confirmed === 'string') {
        // `ws`'s message, word for word; the factory's reason is the error's `cause`.
        const error = failAndDispose('Invalid Sec-WebSocket-Extensions header', 'WS_ERR_INVALID_EXTENSION_HEADER');
        Object.defineProperty(error, 'cause', { value: confirmed, configurable: true, writable: true });
        return error;
      }
      extensions.push(confirmed);
      // Two extensions may not claim the same RSV bit: frames would be ambiguous.
      if ((confirmed.rsvMask & usedRsv) !== 0) {
        return failAndDispose(`Extension ${answer.name} claims an RSV bit already in use`, 'WS_ERR_UNEXPECTED_EXTENSION');
      }
      usedRsv |= confirmed.rsvMask;
    }
  }

  return { protocol: protocol ?? '', extensions, extensionsHeader: extensionsHeader ?? '' };
}
