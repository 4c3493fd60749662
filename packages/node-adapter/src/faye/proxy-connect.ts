/**
 * An HTTP CONNECT tunnel (RFC 9110 §9.3.6), the way websocket-driver's proxy asks for one:
 * `CONNECT host:port`, Host, keep-alive, Proxy-Authorization from the proxy URL's user info,
 * then the app's proxy headers. A 200 hands the socket on; anything else is an error.
 */
import type { Duplex } from 'node:stream';
import { toHeaderPairs } from '../headers.js';
import type { FayeProxyOptions } from './options.js';
import { type HeadReader, readResponseHead } from './read-response-head.js';

export interface TunnelResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
}

/** `Basic base64(user:password)` from a URL's user info, or undefined when it has none. */
export function proxyAuthorization(proxyUrl: URL): string | undefined {
  if (proxyUrl.username === '' && proxyUrl.password === '') return undefined;
  const credentials = `${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`;
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

export function openTunnel(
  socket: Duplex,
  proxy: FayeProxyOptions,
  target: { readonly hostname: string; readonly port: number; readonly host: string; readonly href: string },
  done: (error: Error | null, result: TunnelResult | null, rest: Uint8Array) => void,
): HeadReader {
  const headers: Array<[string, string]> = [
    ['Host', target.host],
    ['Connection', 'keep-alive'],
    ['Proxy-Connection', 'keep-alive'],
  ];
  const authorization = proxyAuthorization(new URL(proxy.origin));
  if (authorization !== undefined) headers.push(['Proxy-Authorization', authorization]);
  for (const [name, value] of toHeaderPairs(proxy.headers)) {
    const existing = headers.findIndex(([own]) => own.toLowerCase() === name.toLowerCase());
    if (existing >= 0) headers[existing] = [name, value];
    else headers.push([name, value]);
  }
  const lines = [`CONNECT ${target.hostname}:${target.port} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`), '', ''];
  const reader = readResponseHead(
    socket,
    (head, rest) => {
      const result: TunnelResult = { statusCode: head.status, headers: {} };
      for (const [name, value] of head.headers) result.headers[name.toLowerCase()] = value;
      if (head.status === 200) done(null, result, rest);
      else done(new Error(`Can't establish a connection to the server at ${target.href}`), result, rest);
    },
    (error) => done(error, null, new Uint8Array(0)),
  );
  socket.write(lines.join('\r\n'));
  return reader;
}
