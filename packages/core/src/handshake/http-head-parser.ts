/**
 * An incremental HTTP/1.1 head parser (RFC 9112 §2-§5), for adapters with no HTTP stack.
 * It buffers at most `maxHeadSize` bytes, remembers how far it has searched for the empty line
 * (a slow trickle is never rescanned), and hands back what followed the head as a view of the
 * caller's own chunk.
 *
 * Line endings: CRLF, and also a bare LF, which RFC 9112 §2.2 allows a recipient to accept
 * ("MAY recognize a single LF as a line terminator and ignore any preceding CR"). A bare CR
 * inside a line is rejected (§2.2: "MUST consider ... invalid").
 */
import { EMPTY } from '../bytes.js';
import { HandshakeError, InvalidStateError } from '../errors.js';
import type { HeaderPairs } from './header-list.js';
import { latin1Decode } from './http-text.js';
import { isToken } from './tokens.js';

export interface HttpHeadLimits {
  /** Largest head in bytes, request line to the empty line included. Default 16384. */
  readonly maxHeadSize?: number;
  /** Most header fields. Default 100 (ws CVE-2024-37890 was a flood of headers). */
  readonly maxHeaderCount?: number;
}
export interface HttpRequestHead {
  readonly kind: 'request';
  readonly method: string;
  readonly target: string;
  readonly httpVersion: string;
  readonly headers: HeaderPairs;
}
export interface HttpResponseHead {
  readonly kind: 'response';
  readonly httpVersion: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderPairs;
}
type HeadOf<K extends 'request' | 'response'> = K extends 'request' ? HttpRequestHead : HttpResponseHead;

export const DEFAULT_MAX_HEAD_SIZE = 16384;
export const DEFAULT_MAX_HEADER_COUNT = 100;

const LF = 0x0a;
const CR = 0x0d;

const malformed = (message: string): HandshakeError => new HandshakeError(message, 'WS_ERR_MALFORMED_HTTP', 400);

export class HttpHeadParser<K extends 'request' | 'response'> {
  private readonly maxHeadSize: number;
  private readonly maxHeaderCount: number;
  /** Bytes of earlier pushes that did not complete the head (capacity doubles, ≤ maxHeadSize + 1). */
  private pending = new Uint8Array(0);
  private pendingLength = 0;
  /** Where to resume looking for the end of the head: no byte before it can start the terminator. */
  private searchFrom = 0;
  private result: HeadOf<K> | HandshakeError | null = null;
  private restBytes: Uint8Array = EMPTY;

  constructor(
    private readonly kind: K,
    limits: HttpHeadLimits = {},
  ) {
    this.maxHeadSize = limits.maxHeadSize ?? DEFAULT_MAX_HEAD_SIZE;
    this.maxHeaderCount = limits.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT;
  }

  /** Bytes received after the head (frames that came in the same chunk): a view of the last pushed chunk. */
  get rest(): Uint8Array {
    return this.restBytes;
  }

  /**
   * null = need more bytes; a HandshakeError (431 for limits, 400 for a malformed head; it
   * stays the answer to later pushes); or the head. Pushing after a head was returned throws.
   */
  push(bytes: Uint8Array): HeadOf<K> | HandshakeError | null {
    if (this.result instanceof HandshakeError) return this.result;
    if (this.result !== null) throw new InvalidStateError('HTTP head parser', 'done', 'push bytes after the head');
    this.result = this.consume(bytes);
    if (this.result instanceof HandshakeError) {
      this.pending = EMPTY; // nothing more will be read: let the buffer go
      this.pendingLength = 0;
    }
    return this.result;
  }

  private consume(chunk: Uint8Array): HeadOf<K> | HandshakeError | null {
    // Only as much of the chunk as could belong to an allowed head is looked at or copied.
    const room = this.maxHeadSize + 1 - this.pendingLength;
    const usable = chunk.length > room ? chunk.subarray(0, room) : chunk;
    let buffer: Uint8Array;
    if (this.pendingLength === 0) {
      buffer = usable; // the common case: the whole head in one chunk, never copied
    } else {
      this.append(usable);
      buffer = this.pending.subarray(0, this.pendingLength);
    }

    const end = this.findHeadEnd(buffer);
    if (end < 0) {
      if (buffer.length > this.maxHeadSize) {
        return new HandshakeError('HTTP head too large', 'WS_ERR_HEAD_TOO_LARGE', 431);
      }
      if (this.pendingLength === 0) this.append(usable);
      return null;
    }
    if (end > this.maxHeadSize) return new HandshakeError('HTTP head too large', 'WS_ERR_HEAD_TOO_LARGE', 431);
    // `end` counts bytes of earlier pushes too; what follows it in this chunk is the rest.
    const before = buffer === usable ? 0 : this.pendingLength - usable.length;
    this.restBytes = chunk.subarray(end - before);
    const head = latin1Decode(buffer.subarray(0, end));
    this.pending = EMPTY;
    this.pendingLength = 0;
    return this.parseHead(head);
  }

  private append(bytes: Uint8Array): void {
    const needed = this.pendingLength + bytes.length;
    if (needed > this.pending.length) {
      const grown = new Uint8Array(Math.min(Math.max(needed, this.pending.length * 2, 256), this.maxHeadSize + 1));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLength);
    this.pendingLength = needed;
  }

  /**
   * The offset just past the empty line ending the head ("\n\r\n" or "\n\n"), or -1. Resumes at
   * `searchFrom`, so each byte is examined a bounded number of times over all pushes.
   */
  private findHeadEnd(buffer: Uint8Array): number {
    let i = this.searchFrom;
    const length = buffer.length;
    while (i < length) {
      i = buffer.indexOf(LF, i);
      if (i < 0) {
        i = length;
        break;
      }
      if (i + 1 >= length) break; // cannot tell yet: resume at this LF
      const next = buffer[i + 1]!;
      if (next === LF) return i + 2;
      if (next === CR) {
        if (i + 2 >= length) break;
        if (buffer[i + 2] === LF) return i + 3;
      }
      i++;
    }
    this.searchFrom = i;
    return -1;
  }

  /** The head as latin1 text, terminator included. */
  private parseHead(head: string): HeadOf<K> | HandshakeError {
    const lines = head.split('\n');
    lines.length -= 2; // the empty line and the empty string after its LF
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      // Strip the CR of a CRLF; any other CR is a bare CR.
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (text.includes('\r')) return malformed('Bare CR in HTTP head');
      lines[i] = text;
    }
    // §2.2: a server SHOULD ignore empty lines received before the request-line.
    let first = 0;
    while (first < lines.length && lines[first] === '') first++;
    if (first === lines.length) return malformed('Empty HTTP head');
    if (lines.length - first - 1 > this.maxHeaderCount) {
      return new HandshakeError('Too many HTTP header fields', 'WS_ERR_TOO_MANY_HEADERS', 431);
    }

    const headers: Array<[string, string]> = [];
    for (let i = first + 1; i < lines.length; i++) {
      const field = parseField(lines[i]!);
      if (field instanceof HandshakeError) return field;
      headers.push(field);
    }
    const startLine = lines[first]!;
    return (this.kind === 'request' ? parseRequestLine(startLine, headers) : parseStatusLine(startLine, headers)) as
      | HeadOf<K>
      | HandshakeError;
  }
}

/** RFC 9112 §3: request-line = method SP request-target SP HTTP-version */
function parseRequestLine(line: string, headers: HeaderPairs): HttpRequestHead | HandshakeError {
  const parts = line.split(' ');
  if (parts.length !== 3) return malformed('Malformed HTTP request line');
  const [method, target, version] = parts as [string, string, string];
  if (!isToken(method)) return malformed('Malformed HTTP method');
  // The target has no whitespace or controls (§3.2); its finer syntax is the application's business.
  if (target.length === 0 || !isVisible(target)) return malformed('Malformed HTTP request target');
  const httpVersion = parseVersion(version);
  if (httpVersion === null) return malformed('Malformed HTTP version');
  return { kind: 'request', method, target, httpVersion, headers };
}

/** RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] */
function parseStatusLine(line: string, headers: HeaderPairs): HttpResponseHead | HandshakeError {
  const firstSpace = line.indexOf(' ');
  if (firstSpace < 0) return malformed('Malformed HTTP status line');
  const httpVersion = parseVersion(line.slice(0, firstSpace));
  if (httpVersion === null) return malformed('Malformed HTTP version');
  const statusText = line.slice(firstSpace + 1, firstSpace + 4);
  const after = line.slice(firstSpace + 4);
  // The SP before an empty reason is sometimes left out; accept that (robustness, §4).
  if (!/^[1-9]\d\d$/.test(statusText) || (after !== '' && after[0] !== ' ')) return malformed('Malformed HTTP status code');
  const reason = after.slice(1);
  // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
  for (let i = 0; i < reason.length; i++) {
    const code = reason.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return malformed('Malformed HTTP reason phrase');
  }
  return { kind: 'response', httpVersion, status: Number(statusText), reason, headers };
}

/** "HTTP/1.1" → "1.1" (the form Node's `httpVersion` uses); null if malformed. */
function parseVersion(text: string): string | null {
  return /^HTTP\/\d\.\d$/.test(text) ? text.slice(5) : null;
}

/** field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). */
function parseField(line: string): [string, string] | HandshakeError {
  // §5.2: obs-fold is deprecated; a server MUST reject it (400) unless it unfolds it.
  if (line.startsWith(' ') || line.startsWith('\t')) return malformed('Obsolete line folding in HTTP head');
  const colon = line.indexOf(':');
  if (colon < 0) return malformed('HTTP header line without a colon');
  const name = line.slice(0, colon);
  // §5.1: no whitespace between name and colon (a server MUST reject it with 400).
  if (!isToken(name)) return malformed('Malformed HTTP header name');
  let start = colon + 1;
  let end = line.length;
  while (start < end && isOws(line.charCodeAt(start))) start++;
  while (end > start && isOws(line.charCodeAt(end - 1))) end--;
  const value = line.slice(start, end);
  // RFC 9110 §5.5: field-content is VCHAR / obs-text with SP and HTAB inside; no other controls.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return malformed('Control character in HTTP header value');
  }
  return [name, value];
}

const isOws = (code: number): boolean => code === 0x20 || code === 0x09;

/** VCHAR / obs-text only: no whitespace, no controls. */
function isVisible(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return false;
  }
  return true;
}
