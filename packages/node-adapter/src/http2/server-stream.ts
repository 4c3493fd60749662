/**
 * The server side of RFC 8441: an extended CONNECT stream on a `node:http2` server becomes a
 * WebSocket. The core validates the request and builds the 2xx; the stream (a Duplex) is bound
 * to the driver exactly like a TCP socket. What differs from a socket: ending our side sends
 * END_STREAM (so RFC 6455 §7.1.1's "the server closes the TCP connection first" becomes "the
 * server ends the stream first"), destroying it sends RST_STREAM, and the TCP connection stays
 * up for the session's other streams.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import {
  type Extension,
  type ExtensionFactory,
  HandshakeError,
  type HeaderInput,
  HeaderList,
  type ValidatedConnectRequest,
  createExtendedConnectAcceptHeaders,
  negotiateExtensions,
  validateExtendedConnect,
} from '@sansock/core';
import { toHeaderPairs } from '../headers.js';
import { asWsRejection, chooseProtocol, verifyThen } from '../server-decisions.js';
import type { UpgradeTarget, WebSocketOptions } from '../types.js';
import { createStreamRequest } from './request.js';

/** The verifyClient/handleProtocols shapes, as the server declares them. */
interface HostOptions extends WebSocketOptions {
  verifyClient?: (...args: never[]) => unknown;
  handleProtocols?: (protocols: Set<string>, request: http.IncomingMessage) => string | false | null | undefined;
}


/** What the WebSocketServer lends to the stream handshake (its own fields stay private). */
export interface StreamHandshakeHost<T extends UpgradeTarget> {
  readonly options: HostOptions;
  readonly extensionFactories: readonly ExtensionFactory[];
  /** False once the server is closing: new streams get 503. */
  isRunning(): boolean;
  shouldHandle(request: http.IncomingMessage): boolean;
  /** The app's answer to a bad request, if it listens to 'wsClientError' (true: it took it). */
  reportClientError(error: HandshakeError, stream: http2.ServerHttp2Stream, request: http.IncomingMessage): boolean;
  emitHeaders(lines: string[], request: http.IncomingMessage): void;
  createWebSocket(): T;
  /** Binds the accepted stream to the socket with the server's options, and tracks it in `clients`. */
  bind(websocket: T, stream: Duplex, head: Uint8Array, extensions: readonly Extension[], protocol: string): void;
}

const onHandshakeStreamError = function (this: http2.ServerHttp2Stream): void {
  this.destroy();
};

/** Answers with an error status and ends the stream (RFC 8441 §5: a non-2xx refuses). */
function rejectStream(stream: http2.ServerHttp2Stream, status: number, message?: string, headers?: HeaderInput): void {
  if (stream.destroyed || stream.closed || stream.headersSent) {
    stream.destroy();
    return;
  }
  const body = message ?? http.STATUS_CODES[status] ?? String(status);
  const fields: http2.OutgoingHttpHeaders = { ':status': status, 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) };
  for (const [name, value] of HeaderList.from(headers ?? []).entries()) fields[name.toLowerCase()] = value;
  try {
    stream.respond(fields);
    stream.end(body);
  } catch {
    // A header the app gave that HTTP/2 forbids (connection-specific): refuse without it.
    stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
  }
}

/** The request's regular fields (no pseudo-header fields), every occurrence kept. */
function regularFields(headers: http2.IncomingHttpHeaders): Array<[string, string]> {
  return toHeaderPairs(headers as http2.OutgoingHttpHeaders).filter(([name]) => !name.startsWith(':'));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Completes (or refuses) an extended CONNECT; `callback` gets the open WebSocket. */
export function acceptStream<T extends UpgradeTarget>(
  host: StreamHandshakeHost<T>,
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  callback: (websocket: T, request: http.IncomingMessage) => void,
): void {
  stream.on('error', onHandshakeStreamError);
  const request = createStreamRequest(stream, headers);
  const validated = validateExtendedConnect(
    {
      method: single(headers[':method']) ?? '',
      protocol: single(headers[':protocol']),
      scheme: single(headers[':scheme']),
      path: single(headers[':path']),
      authority: single(headers[':authority']),
      headers: regularFields(headers),
    },
    { extensions: host.extensionFactories },
  );
  if (validated instanceof HandshakeError) {
    const rejection = asWsRejection(validated);
    if (!host.reportClientError(rejection, stream, request)) rejectStream(stream, rejection.status ?? 400, rejection.message, rejection.headers);
    return;
  }
  if (!host.shouldHandle(request)) {
    rejectStream(stream, 400);
    return;
  }

  verifyThen(
    host.options.verifyClient,
    { origin: validated.origin, secure: stream.session?.encrypted === true, req: request },
    (code, message, headers) => rejectStream(stream, code, message, toHeaderPairs(headers)),
    () => complete(host, validated, stream, request, callback),
  );
}

function complete<T extends UpgradeTarget>(
  host: StreamHandshakeHost<T>,
  validated: ValidatedConnectRequest,
  stream: http2.ServerHttp2Stream,
  request: http.IncomingMessage,
  callback: (websocket: T, request: http.IncomingMessage) => void,
): void {
  // The client may have reset the stream while verifyClient was deciding.
  if (stream.destroyed || stream.closed) {
    stream.destroy();
    return;
  }
  if (stream.headersSent) throw new Error('server.handleStream() was called more than once with the same stream');
  if (!host.isRunning()) {
    rejectStream(stream, 503);
    return;
  }
  const negotiated = negotiateExtensions(validated.extensionOffers, host.extensionFactories);
  if (negotiated instanceof HandshakeError) {
    if (!host.reportClientError(negotiated, stream, request)) rejectStream(stream, negotiated.status ?? 400, negotiated.message);
    return;
  }
  const protocol = chooseProtocol(validated.protocols, host.options.handleProtocols, request);
  let fields: Array<[string, string]>;
  try {
    fields = createExtendedConnectAcceptHeaders({ protocol, extensionsHeader: negotiated.header });
  } catch (error) {
    for (const extension of negotiated.extensions) extension.dispose?.();
    stream.destroy();
    throw error;
  }
  const websocket = host.createWebSocket();
  // As over HTTP/1.1 the app may add lines ("Set-Cookie: a=b"); there is no status line here.
  const lines = fields.map(([name, value]) => `${name}: ${value}`);
  host.emitHeaders(lines, request);
  const response: http2.OutgoingHttpHeaders = { ':status': 200 };
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Lines written for HTTP/1.1 (Connection: keep-alive...) have no place in HTTP/2.
    if (CONNECTION_SPECIFIC.has(name)) continue;
    const value = line.slice(colon + 1).trim();
    const previous = response[name];
    response[name] = previous === undefined ? value : ([] as string[]).concat(previous as string | string[], value);
  }
  try {
    stream.respond(response);
  } catch {
    // A line Node refuses (a malformed name or value): refused, not a crash of the server.
    for (const extension of negotiated.extensions) extension.dispose?.();
    rejectStream(stream, 500);
    return;
  }
  stream.removeListener('error', onHandshakeStreamError);
  host.bind(websocket, stream, EMPTY, negotiated.extensions, protocol);
  callback(websocket, request);
}

const EMPTY = new Uint8Array(0);

/** Fields RFC 9113 §8.2.2 forbids in HTTP/2 (Node throws on them). */
const CONNECTION_SPECIFIC = new Set(['connection', 'upgrade', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'http2-settings']);
