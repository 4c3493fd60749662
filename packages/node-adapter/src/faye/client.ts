/**
 * faye's `WebSocket.Client(url, protocols, options)`: a TCP or TLS socket (through an HTTP
 * CONNECT proxy when `proxy.origin` is given), the opening handshake written and read on it
 * with the core's request builder, head parser and response checks, then the shared API.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import {
  type ClientRequest,
  HandshakeError,
  createClientRequest,
  serializeRequest,
  validateServerResponse,
} from '@sansock/core';
import { toHeaderPairs } from '../headers.js';
import { createFayeExtensionFactory } from './extension-adapter.js';
import { type FayeClientOptions, checkExtensions, validateOptions } from './options.js';
import { openTunnel } from './proxy-connect.js';
import { type HeadReader, headerObject, readResponseHead } from './read-response-head.js';
import { API_OPTION_KEYS } from './server-websocket.js';
import { FayeApi } from './websocket-api.js';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };
const SECURE = new Set(['https:', 'wss:']);

function portOf(url: URL): number {
  return url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 80) : Number(url.port);
}

/** `[v6]` in a URL, the bare address for net/tls. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export class FayeClient extends FayeApi {
  /** The handshake response's status code, once it arrived. */
  statusCode: number | undefined;
  /** The handshake response's headers (lower-case names), once they arrived. */
  headers: Record<string, string> | undefined;
  private socket: Duplex;
  private reader: HeadReader | null = null;

  constructor(url: string, protocols?: string | readonly string[] | null, options?: FayeClientOptions | null) {
    validateOptions(options, API_OPTION_KEYS);
    const opts = options ?? {};
    checkExtensions(opts.extensions ?? []);
    super(url, opts);
    const target = new URL(url);
    const offered = protocols === null || protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
    const proxy = opts.proxy;
    // The socket goes to the proxy when there is one, else to the origin.
    const endpoint = proxy?.origin ? new URL(proxy.origin) : target;
    const socketTls = proxy?.origin ? (proxy.tls ?? {}) : { ...opts.tls, ca: opts.tls?.ca ?? opts.ca };
    const host = bareHost(endpoint);
    const port = portOf(endpoint);
    this.socket = SECURE.has(endpoint.protocol)
      ? tls.connect({ ...socketTls, host, port, servername: socketTls.servername ?? (net.isIP(host) ? undefined : host) })
      : net.connect({ ...opts.net, host, port } as net.NetConnectOpts);
    this.socket.on('error', this.onEarlyError);

    let request: ClientRequest;
    try {
      request = createClientRequest({
        host: target.host,
        path: target.pathname + target.search,
        protocols: offered,
        extensions: (opts.extensions ?? []).map((extension) => createFayeExtensionFactory(extension, { maxLength: this.maxLength })),
        headers: toHeaderPairs(opts.headers),
      });
    } catch (error) {
      this.socket.destroy();
      throw error;
    }

    if (!proxy?.origin) {
      this.handshake(this.socket, request);
      return;
    }
    this.reader = openTunnel(
      this.socket,
      proxy,
      { hostname: target.hostname, port: portOf(target), host: target.host, href: target.href },
      (error, result, rest) => {
        this.reader = null;
        if (result !== null) {
          this.statusCode = result.statusCode;
          this.headers = result.headers;
        }
        if (error !== null) {
          this.socket.destroy();
          this.failHandshake(error.message);
          return;
        }
        if (rest.length > 0) this.socket.unshift(rest);
        this.socket.resume();
        if (SECURE.has(target.protocol)) {
          const tunnelled = this.socket;
          const origin = bareHost(target);
          this.socket = tls.connect({
            ...opts.tls,
            ca: opts.tls?.ca ?? opts.ca,
            socket: tunnelled,
            servername: opts.tls?.servername ?? (net.isIP(origin) ? undefined : origin),
          });
          this.socket.on('error', this.onEarlyError);
        }
        this.handshake(this.socket, request);
      },
    );
  }

  /** Network errors before the driver has the socket: 'error' then 'close' (1006), as faye. */
  private readonly onEarlyError = (error: Error): void => {
    this.reader?.cancel();
    this.failHandshake(`Network error: ${this.url}: ${error.message}`);
  };

  protected abortHandshake(): void {
    this.reader?.cancel();
    this.socket.destroy();
    this.failHandshake('', 1006);
  }

  private handshake(socket: Duplex, request: ClientRequest): void {
    this.reader = readResponseHead(
      socket,
      (head, rest) => {
        this.reader = null;
        this.statusCode = head.status;
        this.headers = headerObject(head);
        const accepted = validateServerResponse(request, { status: head.status, headers: head.headers });
        if (accepted instanceof HandshakeError) {
          socket.destroy();
          const message = `Error during WebSocket handshake: ${accepted.message}`;
          // websocket-driver fails the handshake as a protocol error (1002).
          this.failHandshake(message, 1002, message);
          return;
        }
        socket.removeListener('error', this.onEarlyError);
        this.attach(socket, rest, { role: 'client', extensions: accepted.extensions, protocol: accepted.protocol });
      },
      (error) => {
        this.reader = null;
        socket.destroy();
        if (error instanceof HandshakeError) {
          const message = `Error during WebSocket handshake: ${error.message}`;
          this.failHandshake(message, 1002, message);
        } else this.failHandshake(`Network error: ${this.url}: ${error.message}`);
      },
    );
    socket.write(serializeRequest(request));
  }
}
