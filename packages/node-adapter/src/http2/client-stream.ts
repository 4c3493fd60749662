/**
 * The client side of RFC 8441: `new WebSocket(url, { http2: true })` opens an extended CONNECT
 * stream on the shared session for the URL's origin and, once the server answers 2xx, binds the
 * stream to the driver like a TCP socket (ending it sends END_STREAM, terminate() resets it).
 */
import type http2 from 'node:http2';
import {
  DEFAULT_MAX_PAYLOAD,
  type ExtendedConnectClientRequest,
  HandshakeError,
  InvalidArgumentError,
  createExtendedConnectRequest,
  validateExtendedConnectResponse,
} from '@sansock/core';
import type { ClientConnectOptions, ClientHandshakeLink, HandshakeWebSocket } from '../client-connect.js';
import { type PerMessageDeflateOptions, createExtensionFactories } from '../extension-factories.js';
import { toHeaderPairs } from '../headers.js';
import { type SessionOptions, leaseSession } from './session-pool.js';

const EMPTY = new Uint8Array(0);

/** Options of `new WebSocket()` read over HTTP/2 (the rest of ClientOptions: see the README). */
export interface Http2ClientOption {
  /**
   * Open the WebSocket as a stream of one shared HTTP/2 connection per origin (RFC 8441) instead
   * of its own TCP connection. `wss:` negotiates h2 by ALPN; `ws:` speaks h2c (prior knowledge).
   * Fails with `ConnectProtocolUnsupportedError` when the server does not allow it. Default false.
   */
  http2?: boolean;
}

export function connectHttp2Client<W extends HandshakeWebSocket>(
  link: ClientHandshakeLink<W>,
  address: string | URL,
  protocols: readonly string[],
  options: ClientConnectOptions<W>,
): void {
  let url: URL;
  try {
    url = new URL(address instanceof URL ? address.href : address);
  } catch {
    throw new SyntaxError(`Invalid URL: ${String(address)}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  link.setUrl(url.href);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new SyntaxError('The URL\'s protocol must be one of "ws:", "wss:", "http:", or "https:" with the http2 option');
  }
  if (url.hash) throw new SyntaxError('The URL contains a fragment identifier');
  for (const unsupported of ['agent', 'proxy', 'createConnection', 'followRedirects', 'finishRequest'] as const) {
    if (options[unsupported]) throw new TypeError(`The ${unsupported} option cannot be combined with http2`);
  }

  const secure = url.protocol === 'wss:';
  const maxPayload = options.maxPayload;
  const deflate: boolean | PerMessageDeflateOptions = options.perMessageDeflate ?? true;
  const factories = createExtensionFactories(deflate, { role: 'client', maxPayload: maxPayload ?? DEFAULT_MAX_PAYLOAD });
  const extraHeaders = toHeaderPairs(options.headers);
  if (url.username || url.password) {
    const auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    if (!extraHeaders.some(([name]) => name.toLowerCase() === 'authorization')) {
      extraHeaders.push(['authorization', `Basic ${Buffer.from(auth).toString('base64')}`]);
    }
  }
  let request: ExtendedConnectClientRequest;
  try {
    request = createExtendedConnectRequest({
      host: url.host,
      path: url.pathname + url.search,
      protocols,
      extensions: factories,
      origin: options.origin,
      headers: extraHeaders,
      protocolVersion: options.protocolVersion ?? 13,
    });
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new SyntaxError(error.message, { cause: error });
    throw error;
  }

  const origin = `${secure ? 'https' : 'http'}://${url.host}`;
  const lease = leaseSession(origin, sessionOptionsOf(options, secure));
  let stream: http2.ClientHttp2Stream | undefined;
  let done = false;
  let timer: NodeJS.Timeout | undefined;

  const fail = (error: Error): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    link.setAbort(null);
    if (stream !== undefined) stream.destroy();
    else lease.release();
    process.nextTick(() => link.fail(error));
  };
  link.setAbort((message) => fail(new Error(message)));
  if (options.handshakeTimeout) {
    timer = setTimeout(() => fail(new Error('Opening handshake has timed out')), options.handshakeTimeout);
  }

  lease.whenReady((error, session) => {
    if (done) return;
    if (error !== null) {
      fail(error);
      return;
    }
    const fields: http2.OutgoingHttpHeaders = {
      ':method': 'CONNECT',
      ':protocol': 'websocket',
      ':scheme': secure ? 'https' : 'http',
      ':path': request.path,
      ':authority': request.authority,
    };
    for (const [name, value] of request.headers) {
      const previous = fields[name];
      fields[name] = previous === undefined ? value : ([] as string[]).concat(previous as string | string[], value);
    }
    let opened: http2.ClientHttp2Stream;
    try {
      opened = session.request(fields, { endStream: false });
    } catch (requestError) {
      fail(requestError as Error);
      return;
    }
    stream = opened;
    // The stream's end is the lease's end, however it comes (close frames, reset, session gone).
    opened.once('close', () => lease.release());
    opened.on('error', fail);
    opened.once('response', (headers) => {
      if (done) return;
      const status = Number(headers[':status']);
      const accepted = validateExtendedConnectResponse(request, { status, headers: responseFields(headers) });
      if (accepted instanceof HandshakeError) {
        fail(accepted);
        return;
      }
      done = true;
      clearTimeout(timer);
      link.setAbort(null);
      opened.removeListener('error', fail);
      link.websocket.setSocket(opened, EMPTY, {
        role: 'client',
        extensions: accepted.extensions,
        protocol: accepted.protocol,
        allowSynchronousEvents: options.allowSynchronousEvents,
        maxPayload,
        maxFragments: options.maxFragments,
        skipUTF8Validation: options.skipUTF8Validation,
      });
    });
  });
}

/** TLS options pass through to `http2.connect` (ALPN is its own: h2). */
function sessionOptionsOf<W>(options: ClientConnectOptions<W>, secure: boolean): SessionOptions {
  if (!secure) return {};
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername, checkServerIdentity, ciphers, minVersion, maxVersion } =
    options as SessionOptions;
  const picked: SessionOptions = { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername, checkServerIdentity, ciphers, minVersion, maxVersion };
  for (const name of Object.keys(picked) as Array<keyof SessionOptions>) if (picked[name] === undefined) delete picked[name];
  return picked;
}

function responseFields(headers: http2.IncomingHttpHeaders): Array<[string, string]> {
  return toHeaderPairs(headers as http2.OutgoingHttpHeaders).filter(([name]) => !name.startsWith(':'));
}
