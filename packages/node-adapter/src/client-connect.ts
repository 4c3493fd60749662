/**
 * The client's opening handshake over Node's http/https client (so `agent`, proxies and
 * `createConnection` work as with `ws`). The core builds the request headers and validates the
 * 101 response; this file owns URLs, redirects, timeouts and the `ws` error/close order.
 */
import type { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import {
  type ClientRequest as HandshakeRequest,
  DEFAULT_MAX_PAYLOAD,
  HandshakeError,
  InvalidArgumentError,
  createClientRequest,
  validateServerResponse,
} from '@sansock/core';
import { CONNECTING } from './constants.js';
import { type PerMessageDeflateOptions, createExtensionFactories } from './extension-factories.js';
import { toHeaderObject, toHeaderPairs } from './headers.js';
import { tunnelConnection } from './proxy/create-connection.js';
import { type ProxyOption, resolveProxy } from './proxy/options.js';
import type { UpgradeTarget, WebSocketEvents, WebSocketOptions } from './types.js';

const INVALID_SUBPROTOCOL = 'An invalid or duplicated subprotocol was specified';

/** What the handshake uses of the WebSocket it opens: its events, state and URL, and its socket binding. */
export interface HandshakeWebSocket extends EventEmitter<WebSocketEvents>, UpgradeTarget {
  readonly readyState: number;
  readonly url: string;
}

/**
 * What the WebSocket lets its handshake change, handed over explicitly (the WebSocket's own
 * methods for these are private).
 */
export interface ClientHandshakeLink<W extends HandshakeWebSocket> {
  readonly websocket: W;
  /** The URL being connected to (it changes on redirects). */
  setUrl(url: string): void;
  /** How `close()`/`terminate()` abort the handshake; null once it is done. */
  setAbort(abort: ((message: string) => void) | null): void;
  /** The connection never opened: 'error', then 'close' (1006). */
  fail(error: Error): void;
}

/**
 * `new WebSocket(address, protocols, options)` options, as in `ws`; TLS options go to
 * tls.connect. `W` is the WebSocket class (websocket.ts names it: `ClientOptions`).
 */
export interface ClientConnectOptions<W>
  extends WebSocketOptions,
    Omit<https.RequestOptions, 'headers' | 'path' | 'port' | 'host' | 'hostname' | 'protocol' | 'method' | 'timeout' | 'socketPath' | 'createConnection'> {
  /** Subprotocols, when not given as the second argument. */
  protocols?: string | string[];
  /** Extra request headers (authorization, cookies...). */
  headers?: http.OutgoingHttpHeaders;
  origin?: string;
  protocolVersion?: 8 | 13;
  /** Milliseconds for the whole opening handshake. */
  handshakeTimeout?: number;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Client default: true (offer permessage-deflate). */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Call `request.end()` yourself (e.g. after writing to the request). */
  finishRequest?: (request: http.ClientRequest, websocket: W) => void;
  /**
   * Tunnel through an HTTP(S) CONNECT proxy: `'http://user:pass@host:port'`, a `ProxyConfig`, or
   * `'env'` for `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` with `NO_PROXY` exceptions (read at
   * connect time). Not with `agent` or `createConnection`.
   */
  proxy?: ProxyOption;
  /**
   * Fills the 4-byte masking key of each frame, synchronously (as `ws`'s option). Default: a
   * strong random source, as RFC 6455 §5.3 asks; with this the keys are yours to make.
   */
  generateMask?: (mask: Buffer) => void;
  /** Make the socket yourself (net.connect/tls.connect by default). */
  createConnection?: (options: http.ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void) => Duplex;
}

/** The client's `generateMask` as the core's key source: each key handed over as the Buffer `ws` gives it. */
export function maskFillOf(options: { generateMask?: (mask: Buffer) => void }): ((key: Uint8Array) => void) | undefined {
  const generateMask = options.generateMask;
  return generateMask === undefined ? undefined : (key) => generateMask(Buffer.from(key.buffer, key.byteOffset, key.byteLength));
}

function netConnect(options: http.ClientRequestArgs): net.Socket {
  // http hands createConnection its own copy of the request options: completed in place, as ws does.
  const connectOptions = options as net.NetConnectOpts & { path?: string | undefined };
  connectOptions.path = options.socketPath;
  return net.connect(connectOptions);
}

function tlsConnect(options: http.ClientRequestArgs & tls.ConnectionOptions): tls.TLSSocket {
  const servername = options.servername ?? (net.isIP(options.host ?? '') ? '' : (options.host ?? undefined));
  return tls.connect({ ...options, path: undefined, servername } as tls.ConnectionOptions);
}

interface RedirectState {
  count: number;
  originalHost: string;
  originalSecure: boolean;
  originalIpc: boolean;
}

/** Starts (or, after a redirect, restarts) the handshake for `websocket`. */
export function connectClient<W extends HandshakeWebSocket>(
  link: ClientHandshakeLink<W>,
  address: string | URL,
  protocols: readonly string[],
  options: ClientConnectOptions<W>,
  redirect?: RedirectState,
): void {
  const websocket = link.websocket;
  const opts = {
    perMessageDeflate: true as boolean | PerMessageDeflateOptions,
    followRedirects: false,
    maxRedirects: 10,
    protocolVersion: 13 as 8 | 13,
    ...options,
  };
  if (opts.protocolVersion !== 8 && opts.protocolVersion !== 13) {
    throw new RangeError(`Unsupported protocol version: ${String(opts.protocolVersion)} (supported versions: 8, 13)`);
  }

  let url: URL;
  if (address instanceof URL) url = new URL(address.href);
  else {
    try {
      url = new URL(address);
    } catch {
      throw new SyntaxError(`Invalid URL: ${address}`);
    }
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  link.setUrl(url.href);

  const isSecure = url.protocol === 'wss:';
  const isIpc = url.protocol === 'ws+unix:';
  let invalid: string | undefined;
  if (url.protocol !== 'ws:' && !isSecure && !isIpc) invalid = 'The URL\'s protocol must be one of "ws:", "wss:", "http:", "https:", or "ws+unix:"';
  else if (isIpc && !url.pathname) invalid = "The URL's pathname is empty";
  else if (url.hash) invalid = 'The URL contains a fragment identifier';
  if (invalid !== undefined) {
    const error = new SyntaxError(invalid);
    if (redirect === undefined) throw error;
    link.fail(error);
    return;
  }

  let path = url.pathname + url.search;
  let socketPath: string | undefined;
  if (isIpc) {
    const colon = path.indexOf(':');
    socketPath = colon === -1 ? path : path.slice(0, colon);
    path = colon === -1 ? '/' : path.slice(colon + 1) || '/';
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // The connection resolves its own default; inflating needs the number now (one source: the core's).
  const maxPayload = opts.maxPayload;
  const extensionFactories = createExtensionFactories(opts.perMessageDeflate, { role: 'client', maxPayload: maxPayload ?? DEFAULT_MAX_PAYLOAD });

  // Redirects: like `ws`, credentials are not carried to another host (or from wss: to ws:)
  // unless the app handles 'redirect' itself.
  const state: RedirectState = redirect ?? {
    count: 0,
    originalHost: isIpc ? (socketPath ?? '') : url.host,
    originalSecure: isSecure,
    originalIpc: isIpc,
  };
  const extraHeaders: Record<string, http.OutgoingHttpHeader> = {};
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (value !== undefined) extraHeaders[opts.followRedirects ? name.toLowerCase() : name] = value;
  }
  let auth = url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  if (state.count > 0 && websocket.listenerCount('redirect') === 0) {
    const sameHost = isIpc ? state.originalIpc && socketPath === state.originalHost : !state.originalIpc && url.host === state.originalHost;
    if (!sameHost || (state.originalSecure && !isSecure)) {
      delete extraHeaders.authorization;
      delete extraHeaders.cookie;
      if (!sameHost) delete extraHeaders.host;
      auth = undefined;
    }
  }
  if (auth !== undefined && extraHeaders.authorization === undefined) {
    extraHeaders.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  }

  let request: HandshakeRequest;
  try {
    request = createClientRequest({
      host: isIpc ? 'localhost' : url.host,
      path,
      protocols,
      extensions: extensionFactories,
      origin: opts.origin,
      headers: toHeaderPairs(extraHeaders),
      protocolVersion: opts.protocolVersion,
    });
  } catch (error) {
    // `ws` reports bad subprotocols (and other local misuse) as a SyntaxError, with its exact
    // message for a subprotocol (the core's names the value: kept as the cause).
    if (error instanceof InvalidArgumentError) {
      const subprotocol = error.message.startsWith(INVALID_SUBPROTOCOL);
      throw new SyntaxError(subprotocol ? INVALID_SUBPROTOCOL : error.message, subprotocol ? { cause: error } : undefined);
    }
    throw error;
  }

  const {
    headers: _headers,
    followRedirects: _follow,
    maxRedirects,
    perMessageDeflate: _pmd,
    finishRequest,
    handshakeTimeout,
    protocols: _protocols,
    origin: _origin,
    protocolVersion: _version,
    proxy: proxyOption,
    ...requestOptions
  } = opts;
  if (proxyOption !== undefined && (opts.agent !== undefined || opts.createConnection !== undefined)) {
    throw new TypeError('The proxy option cannot be combined with agent or createConnection');
  }
  // As `ws`: the URL's port as written (a string), or the default port (a number). A custom
  // `createConnection` sees exactly that.
  const port = url.port || (isSecure ? 443 : 80);
  let proxy: ReturnType<typeof resolveProxy> = null;
  if (!isIpc) {
    try {
      proxy = resolveProxy(proxyOption, hostname, Number(port), isSecure);
    } catch (error) {
      if (redirect === undefined) throw error;
      link.fail(error as Error);
      return;
    }
  }
  // abort() (close(), terminate(), a timeout) also gives up a CONNECT under way.
  const tunnelAbort = proxy === null ? undefined : new AbortController();
  const send = isSecure ? https.request : http.request;
  // The rest of the options is a fresh object: completed in place rather than copied once more
  // (each copy of this many properties shows in the time to open a connection).
  const httpOptions: http.RequestOptions & Record<string, unknown> = Object.assign(requestOptions, {
    createConnection: (proxy !== null
      ? tunnelConnection(proxy, isSecure, { timeout: handshakeTimeout, signal: tunnelAbort?.signal })
      : (opts.createConnection ?? (isSecure ? tlsConnect : netConnect))) as http.RequestOptions['createConnection'],
    defaultPort: isSecure ? 443 : 80,
    host: hostname,
    port,
    socketPath,
    path,
    method: 'GET',
    headers: toHeaderObject(request.headers),
    timeout: handshakeTimeout,
  });
  const req = send(httpOptions);
  let aborted = false;
  let done = false;
  let upgraded: Duplex | undefined;

  const abort = (message: string, socket?: Duplex): void => {
    if (done) return;
    done = true;
    aborted = true;
    const error = new Error(message);
    socket ??= upgraded;
    if (socket !== undefined) {
      socket.destroy();
      process.nextTick(() => link.fail(error));
      return;
    }
    req.destroy();
    // A request still waiting for its tunnel would only notice once the tunnel is up: end the CONNECT now.
    tunnelAbort?.abort();
    // After a response the request has let go of its socket (keep-alive): it goes too, like `ws`.
    if (req.socket !== null && !req.socket.destroyed) req.socket.destroy();
    process.nextTick(() => link.fail(error));
  };
  link.setAbort(abort);

  if (state.count > 0) websocket.emit('redirect', websocket.url, req);

  if (handshakeTimeout) req.on('timeout', () => abort('Opening handshake has timed out'));

  req.on('error', (error) => {
    if (aborted || done) return;
    done = true;
    link.fail(error);
  });

  req.on('response', (res) => {
    if (done) return;
    const location = res.headers.location;
    const status = res.statusCode ?? 0;
    if (location && opts.followRedirects && status >= 300 && status < 400) {
      if (++state.count > maxRedirects) {
        abort('Maximum redirects exceeded');
        return;
      }
      done = true;
      aborted = true;
      req.destroy();
      let next: URL;
      try {
        next = new URL(location, address);
      } catch {
        link.fail(new SyntaxError(`Invalid URL: ${location}`));
        return;
      }
      connectClient(link, next, protocols, options, state);
      return;
    }
    if (!websocket.emit('unexpected-response', req, res)) abort(`Unexpected server response: ${status}`);
  });

  req.on('upgrade', (res: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (done) return;
    // close()/terminate() in an 'upgrade' listener aborts with this socket: no 'open'.
    upgraded = socket;
    websocket.emit('upgrade', res);
    if (done || websocket.readyState !== CONNECTING) return; // closed or terminated in the listener
    const accepted = validateServerResponse(request, { status: res.statusCode ?? 0, headers: toHeaderPairs(res.rawHeaders) });
    if (accepted instanceof HandshakeError) {
      done = true;
      aborted = true;
      socket.destroy();
      process.nextTick(() => link.fail(accepted));
      return;
    }
    done = true;
    link.setAbort(null);
    websocket.setSocket(socket, head, {
      role: 'client',
      extensions: accepted.extensions,
      protocol: accepted.protocol,
      allowSynchronousEvents: opts.allowSynchronousEvents,
      maxPayload,
      maxFragments: opts.maxFragments,
      skipUTF8Validation: opts.skipUTF8Validation,
    });
  });

  if (finishRequest) finishRequest(req, websocket);
  else req.end();
}
