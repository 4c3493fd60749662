/**
 * An HTTP CONNECT tunnel: asks a proxy for a raw TCP stream to host:port. Standalone (no
 * WebSocket knowledge), so any client that needs a tunnelled socket can use it.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ResolvedProxy } from './options.js';

/** The proxy answered CONNECT with something other than 2xx (e.g. 407). */
export class ProxyConnectError extends Error {
  /** A stable string to match on. */
  readonly code = 'ERR_PROXY_CONNECT';
  constructor(
    message: string,
    /** The proxy's status code, or undefined when the proxy could not be reached. */
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProxyConnectError';
  }
}

export interface TunnelOptions {
  /** Milliseconds for the CONNECT exchange. */
  timeout?: number | undefined;
  /** Aborts the CONNECT exchange (the caller gave up on the connection). */
  signal?: AbortSignal | undefined;
}

/** The proxy without its credentials, for messages. */
function describe(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** "host:port" as the CONNECT request target; IPv6 in brackets. */
export function authority(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Opens a tunnel through `proxy` to `host`:`port`; resolves with the raw stream to the target. */
export function openTunnel(proxy: ResolvedProxy, host: string, port: number, options: TunnelOptions = {}): Promise<Duplex> {
  const target = authority(host, port);
  const headers: http.OutgoingHttpHeaders = { host: target, ...proxy.headers };
  const { username, password } = proxy.url;
  if ((username || password) && headers['proxy-authorization'] === undefined) {
    const credentials = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const secureProxy = proxy.url.protocol === 'https:';
  const proxyHost = proxy.url.hostname.startsWith('[') ? proxy.url.hostname.slice(1, -1) : proxy.url.hostname;
  const request = (secureProxy ? https.request : http.request)({
    ...(secureProxy ? proxy.tls : undefined),
    host: proxyHost,
    port: proxy.url.port || (secureProxy ? 443 : 80),
    method: 'CONNECT',
    path: target,
    headers,
    // A fresh connection: the tunnel becomes the WebSocket's own socket.
    agent: false,
    timeout: options.timeout,
    signal: options.signal,
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(error);
    };
    request.on('timeout', () => fail(new ProxyConnectError(`Proxy ${describe(proxy.url)} did not answer CONNECT ${target} in time`, undefined)));
    request.on('error', (error) => fail(new ProxyConnectError(`Proxy ${describe(proxy.url)} could not tunnel to ${target}: ${error.message}`, undefined, { cause: error })));
    // Node reports every answer to CONNECT here, whatever its status.
    request.on('connect', (response: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        socket.destroy();
        fail(new ProxyConnectError(`Proxy ${describe(proxy.url)} refused CONNECT ${target}: ${status} ${response.statusMessage ?? ''}`.trimEnd(), status));
        return;
      }
      if (settled) {
        socket.destroy();
        return;
      }
      settled = true;
      // Our socket now: the CONNECT request's timeout no longer applies to it.
      request.setTimeout(0);
      if ((socket as net.Socket).setTimeout) (socket as net.Socket).setTimeout(0);
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.end();
  });
}
