/**
 * The client's `proxy` option: what a user may write, and which proxy (if any) a given target
 * URL goes through. Explicit proxies always apply; `'env'` reads the conventional environment
 * variables at connect time and honours `NO_PROXY`.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import { bypassesProxy } from './no-proxy.js';

/** An HTTP(S) proxy spelled out. */
export interface ProxyConfig {
  /** The proxy's URL, `http://[user:pass@]host:port` (or `https://` for TLS to the proxy). */
  url: string | URL;
  /** Extra headers for the CONNECT request. */
  headers?: OutgoingHttpHeaders;
  /** TLS options for an `https:` proxy itself (the target's TLS uses the WebSocket's options). */
  tls?: ConnectionOptions;
}

/**
 * `proxy` client option: a proxy URL, a {@link ProxyConfig}, or `'env'` to use `HTTPS_PROXY`
 * (for `wss:`) / `HTTP_PROXY` (for `ws:`), falling back to `ALL_PROXY`, each lower-case first,
 * with `NO_PROXY` exceptions.
 */
export type ProxyOption = string | URL | ProxyConfig;

/** A proxy chosen for one connection. */
export interface ResolvedProxy {
  readonly url: URL;
  readonly headers: OutgoingHttpHeaders;
  readonly tls: ConnectionOptions | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function fromEnv(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseProxyUrl(value: string | URL): URL {
  let url: URL;
  try {
    // "host:port" without a scheme is common in the environment: read it as http.
    url = new URL(typeof value === 'string' && !/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? `http://${value}` : value);
  } catch {
    throw new SyntaxError(`Invalid proxy URL: ${String(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SyntaxError(`Unsupported proxy protocol "${url.protocol}" (supported: http:, https:)`);
  }
  return url;
}

/**
 * The proxy for a connection to `host`:`port` (`secure` for wss:), or null to connect directly.
 * Throws SyntaxError for a malformed proxy URL, given or from the environment.
 */
export function resolveProxy(option: ProxyOption | undefined, host: string, port: number, secure: boolean, env: Env = process.env): ResolvedProxy | null {
  if (option === undefined) return null;
  if (option === 'env') {
    const value = fromEnv(env, secure ? 'https_proxy' : 'http_proxy') ?? fromEnv(env, 'all_proxy');
    if (value === undefined) return null;
    const noProxy = fromEnv(env, 'no_proxy');
    if (noProxy !== undefined && bypassesProxy(noProxy, host, port)) return null;
    return { url: parseProxyUrl(value), headers: {}, tls: undefined };
  }
  if (typeof option === 'string' || option instanceof URL) return { url: parseProxyUrl(option), headers: {}, tls: undefined };
  return { url: parseProxyUrl(option.url), headers: option.headers ?? {}, tls: option.tls };
}
