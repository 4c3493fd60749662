/**
 * Token lists and the `Sec-WebSocket-Extensions` grammar, parsed by a hand-written scanner that
 * looks at each character once: linear time on any input (the `ws` CVE-2021-32640 ReDoS came
 * from a backtracking regex on this header).
 */
import { InvalidArgumentError } from '../errors.js';
import type { ExtensionOffer, ExtensionParam } from '../extension.js';
import { regionEqualsIgnoringCase } from './header-list.js';

/** RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

export const isTokenChar = (code: number): boolean => code < 128 && TCHAR[code] === 1;

/** RFC 9110 §5.6.2: token = 1*tchar */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) if (!isTokenChar(value.charCodeAt(i))) return false;
  return true;
}

const isOws = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * A comma-separated list of tokens (`Connection: keep-alive, Upgrade`, `Sec-WebSocket-Protocol:
 * chat, superchat`). Empty elements are skipped, as RFC 9110 §5.6.1.2 requires of recipients;
 * an empty value gives []. Returns null if any element is not a token.
 */
export function parseTokenList(value: string): string[] | null {
  const tokens: string[] = [];
  const length = value.length;
  let i = 0;
  while (i <= length) {
    while (i < length && isOws(value.charCodeAt(i))) i++;
    const start = i;
    while (i < length && isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    while (i < length && isOws(value.charCodeAt(i))) i++;
    if (i < length && value.charCodeAt(i) !== 0x2c /* , */) return null;
    if (end > start) tokens.push(value.slice(start, end));
    i++; // past the comma (or past the end)
  }
  return tokens;
}

/**
 * Whether a token list (as `parseTokenList` reads it) holds `token`, compared ASCII
 * case-insensitively; false if the list is malformed. Scans in place: the server checks
 * `Connection` this way on every handshake, and a list of one token is the usual case.
 */
export function tokenListIncludes(value: string, token: string): boolean {
  const length = value.length;
  let found = false;
  let i = 0;
  while (i <= length) {
    while (i < length && isOws(value.charCodeAt(i))) i++;
    const start = i;
    while (i < length && isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    while (i < length && isOws(value.charCodeAt(i))) i++;
    if (i < length && value.charCodeAt(i) !== 0x2c /* , */) return false;
    if (!found && end - start === token.length && regionEqualsIgnoringCase(value, start, token)) found = true;
    i++; // past the comma (or past the end)
  }
  return found;
}

/**
 * `Sec-WebSocket-Extensions` (RFC 6455 §9.1):
 *   extension-list  = 1#extension
 *   extension       = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 * with OWS around ";", "," and "=", and empty list elements skipped (RFC 9110 §5.6.1.2). A
 * quoted value must itself be a token once unescaped (§9.1). Repeated header fields are one
 * list joined with ", ", so callers pass `HeaderList.get()`. Returns null when malformed.
 * An empty value gives [] (whether an empty header is acceptable is the caller's call).
 */
export function parseExtensionHeader(value: string): ExtensionOffer[] | null {
  const scanner = new Scanner(value);
  const offers: ExtensionOffer[] = [];
  for (;;) {
    scanner.skipOws();
    if (scanner.atEnd()) return offers;
    if (scanner.peek() === 0x2c) {
      scanner.advance(); // an empty list element
      continue;
    }
    const name = scanner.token();
    if (name === null) return null;
    const params: ExtensionParam[] = [];
    scanner.skipOws();
    while (scanner.peek() === 0x3b /* ; */) {
      scanner.advance();
      scanner.skipOws();
      const paramName = scanner.token();
      if (paramName === null) return null;
      scanner.skipOws();
      if (scanner.peek() === 0x3d /* = */) {
        scanner.advance();
        scanner.skipOws();
        const paramValue = scanner.peek() === 0x22 /* " */ ? scanner.quotedString() : scanner.token();
        // §9.1: "the value after quoted-string unescaping MUST conform to the 'token' ABNF".
        if (paramValue === null || !isToken(paramValue)) return null;
        params.push([paramName, paramValue]);
        scanner.skipOws();
      } else {
        params.push([paramName, true]);
      }
    }
    offers.push({ name, params });
    if (scanner.atEnd()) return offers;
    if (scanner.peek() !== 0x2c) return null;
    scanner.advance();
  }
}

/** A cursor over a string; every method moves forward only, so a parse is one pass. */
class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.i >= this.text.length;
  }
  /** The current char code, or -1 at the end. */
  peek(): number {
    return this.i < this.text.length ? this.text.charCodeAt(this.i) : -1;
  }
  advance(): void {
    this.i++;
  }
  skipOws(): void {
    while (this.i < this.text.length && isOws(this.text.charCodeAt(this.i))) this.i++;
  }
  token(): string | null {
    const start = this.i;
    while (this.i < this.text.length && isTokenChar(this.text.charCodeAt(this.i))) this.i++;
    return this.i > start ? this.text.slice(start, this.i) : null;
  }
  /**
   * RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, returned
   * unescaped; null if unterminated or if it holds a control character.
   */
  quotedString(): string | null {
    this.i++; // opening quote
    let out = '';
    // Runs without escapes are sliced whole rather than appended a character at a time: a
    // long value then costs one copy, not a rope of one-character strings for the collector
    // (a 1.6 MB unterminated value took 25x the time of 400 KB that way, 4x now).
    let run = this.i;
    while (this.i < this.text.length) {
      const code = this.text.charCodeAt(this.i);
      if (code === 0x22) {
        out += this.text.slice(run, this.i);
        this.i++;
        return out;
      }
      if (code === 0x5c /* \ */) {
        out += this.text.slice(run, this.i);
        this.i++;
        if (this.i >= this.text.length) return null;
        const escaped = this.text.charCodeAt(this.i);
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (!(escaped === 0x09 || (escaped >= 0x20 && escaped !== 0x7f && escaped <= 0xff))) return null;
        run = this.i; // the escaped character starts the next run
      } else if (!(code === 0x09 || (code >= 0x20 && code !== 0x7f && code <= 0xff))) {
        return null;
      }
      this.i++;
    }
    return null;
  }
}

/**
 * The header value for a list of offers or responses: `name; param; param=value, other`.
 * Throws InvalidArgumentError for a name or value that is not a token: such an offer comes
 * from local code (an extension factory), and §9.1 allows only token values.
 */
export function formatExtensionHeader(offers: readonly ExtensionOffer[]): string {
  return offers
    .map((offer) => {
      if (!isToken(offer.name)) throw new InvalidArgumentError(`Invalid extension name: ${JSON.stringify(offer.name)}`);
      let text = offer.name;
      for (const [name, value] of offer.params) {
        if (!isToken(name)) throw new InvalidArgumentError(`Invalid extension parameter name: ${JSON.stringify(name)}`);
        if (value === true) {
          text += `; ${name}`;
        } else {
          if (!isToken(value)) {
            throw new InvalidArgumentError(`Invalid value for extension parameter ${name}: ${JSON.stringify(value)}`);
          }
          text += `; ${name}=${value}`;
        }
      }
      return text;
    })
    .join(', ');
}
