/**
 * Cookies, as WebSocket-Node reads them from a request (`request.cookies`) and writes them in the
 * 101 response (`accept(protocol, origin, cookies)`), with its validation: a cookie it would
 * refuse makes accept() reject the request with 500 and throw.
 */

export interface ICookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: Date;
  /** Seconds; a positive number (or numeric string). */
  maxage?: number | string;
  secure?: boolean;
  httponly?: boolean;
}

export interface IRequestCookie {
  name: string;
  value: string | null;
}

/** RFC 2616 §2.2 token characters only. */
const INVALID_NAME = /[\x00-\x20\x22\x28\x29\x2c\x2f\x3a-\x3f\x40\x5b-\x5e\x7b\x7d\x7f]/;
/** RFC 6265 §4.1.1 cookie-octet. */
const INVALID_VALUE = /[^\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/;
const QUOTED_VALUE = /^"[^"]*"$/;
/** Stripped from names and values (no header injection), refused in path and domain. */
const CONTROL_OR_SEMICOLON = /[\x00-\x20\x3b]/g;
const CONTROL_OR_SEMICOLON_ONE = /[\x00-\x20\x3b]/;

/** The Cookie request header as a list, values URI-decoded and unquoted. */
export function parseCookies(header: string | undefined): IRequestCookie[] {
  if (typeof header !== 'string' || header === '') return [];
  const cookies: IRequestCookie[] = [];
  for (const pair of header.split(/[;,] */)) {
    const eq = pair.indexOf('=');
    if (eq === -1) {
      cookies.push({ name: pair, value: null });
      continue;
    }
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"')) value = value.slice(1, -1);
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      decoded = value; // malformed %-escapes: kept as sent rather than failing the handshake
    }
    cookies.push({ name, value: decoded });
  }
  return cookies;
}

/**
 * The Set-Cookie values for `cookies`, or an Error naming the first problem (the caller rejects
 * the request with 500 and throws it).
 */
export function formatSetCookies(cookies: unknown): string[] | Error {
  if (!Array.isArray(cookies)) return new Error('Value supplied for "cookies" argument must be an array.');
  const seen = new Set<string>();
  const headers: string[] = [];
  for (const cookie of cookies as ICookie[]) {
    if (!cookie.name || !cookie.value) return new Error('Each cookie to set must at least provide a "name" and "value"');
    const name = String(cookie.name).replace(CONTROL_OR_SEMICOLON, '');
    const value = String(cookie.value).replace(CONTROL_OR_SEMICOLON, '');
    if (seen.has(name)) return new Error('You may not specify the same cookie name twice.');
    seen.add(name);
    const badName = INVALID_NAME.exec(name);
    if (badName) return new Error(`Illegal character ${badName[0]} in cookie name`);
    const badValue = INVALID_VALUE.exec(QUOTED_VALUE.test(value) ? value.slice(1, -1) : value);
    if (badValue) return new Error(`Illegal character ${badValue[0]} in cookie value`);
    const parts = [`${name}=${value}`];
    if (cookie.path) {
      const bad = CONTROL_OR_SEMICOLON_ONE.exec(cookie.path);
      if (bad) return new Error(`Illegal character ${bad[0]} in cookie path`);
      parts.push(`Path=${cookie.path}`);
    }
    if (cookie.domain) {
      if (typeof cookie.domain !== 'string') return new Error('Domain must be specified and must be a string.');
      const bad = CONTROL_OR_SEMICOLON_ONE.exec(cookie.domain);
      if (bad) return new Error(`Illegal character ${bad[0]} in cookie domain`);
      parts.push(`Domain=${cookie.domain.toLowerCase()}`);
    }
    if (cookie.expires) {
      if (!(cookie.expires instanceof Date)) return new Error('Value supplied for cookie "expires" must be a vaild date object');
      parts.push(`Expires=${cookie.expires.toUTCString()}`);
    }
    if (cookie.maxage) {
      const maxage = typeof cookie.maxage === 'string' ? parseInt(cookie.maxage, 10) : cookie.maxage;
      if (Number.isNaN(maxage) || maxage <= 0) return new Error('Value supplied for cookie "maxage" must be a non-zero number');
      parts.push(`Max-Age=${Math.round(maxage)}`);
    }
    if (cookie.secure) {
      if (typeof cookie.secure !== 'boolean') return new Error('Value supplied for cookie "secure" must be of type boolean');
      parts.push('Secure');
    }
    if (cookie.httponly) {
      if (typeof cookie.httponly !== 'boolean') return new Error('Value supplied for cookie "httponly" must be of type boolean');
      parts.push('HttpOnly');
    }
    headers.push(parts.join(';'));
  }
  return headers;
}
