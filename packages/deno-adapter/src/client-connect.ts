/**
 * The client's opening handshake over Deno.connect / Deno.connectTls (RFC 6455 §4.1): the core's
 * ClientHandshake builds the request and validates the response; this file owns the URL, the
 * socket, the handshake timeout and closing the Conn when the handshake does not succeed.
 */
import { ClientHandshake, HandshakeError, type HeaderInput, WebSocketError } from '@sansock/core';
import { type DenoConn, type TlsClientOptions, deno } from './deno-api.js';
import { type PerMessageDeflateOptions, extensionFactories } from './permessage-deflate.js';
import type { OpenedConnection } from './session.js';

export interface ClientHandshakeOptions {
  /** Extra request headers (authorization, cookies...). A `Headers` object works too. */
  readonly headers?: HeaderInput | Headers;
  /** Milliseconds for the whole opening handshake (connect, request, response). Default: none. */
  readonly handshakeTimeout?: number;
  /** Offer permessage-deflate (RFC 7692). Default true, as browsers and `ws` do. */
  readonly perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** TLS material for `wss:` URLs. */
  readonly tls?: TlsClientOptions;
  /** The Origin header. Default: none. */
  readonly origin?: string;
}

/** What the handshake reports to its WebSocket. */
export interface ClientHandshakeLink {
  opened(connection: OpenedConnection, protocol: string, extensions: string): void;
  failed(error: Error): void;
}

/** A handshake in progress; `abort` closes its socket and reports the failure. */
export interface PendingHandshake {
  abort(message: string): void;
}

/** Validates the URL as the WebSocket constructor must (WHATWG: SyntaxError), http(s) mapped to ws(s). */
export function parseWebSocketUrl(address: string | URL): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new DOMException(`Invalid URL: ${String(address)}`, 'SyntaxError');
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new DOMException(`The URL's scheme must be "ws" or "wss", not "${url.protocol}"`, 'SyntaxError');
  }
  if (url.hash !== '') throw new DOMException('The URL contains a fragment identifier', 'SyntaxError');
  return url;
}

const READ_SIZE = 16 * 1024;

export function startClientHandshake(
  url: URL,
  protocols: readonly string[],
  options: ClientHandshakeOptions,
  link: ClientHandshakeLink,
): PendingHandshake {
  const secure = url.protocol === 'wss:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const headers = options.headers instanceof Headers ? [...options.headers] : options.headers;
  // Throws InvalidArgumentError (local misuse: bad subprotocols or headers) from the constructor.
  const handshake = new ClientHandshake({
    host: url.host,
    path: url.pathname + url.search,
    protocols,
    extensions: extensionFactories(options.perMessageDeflate ?? true, 'client'),
    origin: options.origin,
    headers,
  });

  let conn: DenoConn | undefined;
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fail = (error: Error): void => {
    if (settled) return;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
    link.failed(error);
  };
  if (options.handshakeTimeout !== undefined) {
    timer = setTimeout(() => fail(new WebSocketError('Opening handshake has timed out', 'WS_ERR_HANDSHAKE_TIMEOUT')), options.handshakeTimeout);
  }

  const run = async (): Promise<void> => {
    const connected = secure
      ? deno().connectTls({ hostname, port, caCerts: options.tls?.caCerts?.slice(), cert: options.tls?.cert, key: options.tls?.key })
      : deno().connect({ hostname, port });
    const socket = await connected.catch((error: unknown) => {
      fail(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    });
    if (socket === undefined) return;
    if (settled) {
      socket.close(); // aborted while connecting
      return;
    }
    conn = socket;
    let written = 0;
    while (written < handshake.bytes.length) written += await socket.write(handshake.bytes.subarray(written));
    for (;;) {
      const buffer = new Uint8Array(READ_SIZE);
      const count = await socket.read(buffer);
      if (settled) return;
      if (count === null) {
        fail(new WebSocketError('The server closed the connection during the opening handshake', 'WS_ERR_HANDSHAKE_CLOSED'));
        return;
      }
      const outcome = handshake.receiveData(buffer.subarray(0, count));
      if (outcome === null) continue;
      if (outcome instanceof HandshakeError) {
        fail(outcome);
        return;
      }
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      link.opened(
        { conn: socket, role: 'client', extensions: outcome.accepted.extensions, rest: outcome.rest },
        outcome.accepted.protocol,
        outcome.accepted.extensionsHeader,
      );
      return;
    }
  };
  run().catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  return { abort: (message) => fail(new WebSocketError(message, 'WS_ERR_HANDSHAKE_ABORTED')) };
}
