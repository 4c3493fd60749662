/**
 * The opening handshake's parsers on generated and hostile input (RFC 6455 §4, RFC 9110/9112):
 * the HTTP head parser, the Sec-WebSocket-Extensions grammar and the server's request checks.
 * Never a throw; the same answer however the bytes are split; valid input accepted exactly;
 * each single violation rejected with its status.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { type Chunking, chunking, cut } from '../arbitraries.js';
import { concat } from '../bytes.js';
import { HandshakeError, HttpHeadParser, type IncomingRequest, ServerHandshake, computeAcceptKey, formatExtensionHeader, isToken, parseExtensionHeader, validateClientRequest } from '../handshake-api.js';
import { defineProperty } from './property.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('');
const VISIBLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).concat(['\x80', '\xe9', '\xff']);

export const token = (maxLength = 12): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength });
const visible = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...VISIBLE), minLength, maxLength });
/** A field value: visible characters with single spaces/tabs inside (RFC 9110 §5.5). */
const fieldValue = fc.array(visible(1, 8), { maxLength: 4 }).chain((words) =>
  fc.array(fc.constantFrom(' ', '\t', '  '), { minLength: words.length, maxLength: words.length }).map((gaps) => words.map((w, i) => (i === 0 ? w : gaps[i]! + w)).join('')),
);
const ows = fc.constantFrom('', ' ', '\t', '  ', ' \t');
const eol = fc.constantFrom('\r\n', '\r\n', '\n');

/** A single rule broken in an otherwise valid head (RFC 9112 §2.2, §3, §4, §5). */
export const HEAD_VIOLATIONS = ['bare-cr', 'obs-fold', 'space-before-colon', 'no-colon', 'control-in-value', 'bad-name', 'bad-version', 'bad-start-line'] as const;
export type HeadViolation = (typeof HEAD_VIOLATIONS)[number];

export interface HeadSpec {
  readonly kind: 'request' | 'response';
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string; readonly before: string; readonly after: string; readonly eol: string }>;
  readonly startEol: string;
  readonly endEol: string;
  readonly leadingEmptyLines: number;
  readonly violation: HeadViolation | undefined;
  /** Which header (or position) the violation applies to. */
  readonly where: number;
}

export const headSpec = (): fc.Arbitrary<HeadSpec> =>
  fc.record({
    kind: fc.constantFrom('request' as const, 'response' as const),
    method: fc.oneof(fc.constant('GET'), token(8)),
    target: fc.oneof(fc.constant('/'), visible(1, 30).map((t) => `/${t}`)),
    version: fc.constantFrom('1.1', '1.1', '1.0', '2.0'),
    status: fc.integer({ min: 100, max: 999 }),
    reason: fieldValue,
    headers: fc.array(fc.record({ name: token(16), value: fieldValue, before: ows, after: ows, eol }), { maxLength: 20 }),
    startEol: eol,
    endEol: eol,
    // §2.2: one empty line before the request-line is ignored (two in a row end an empty head).
    leadingEmptyLines: fc.constantFrom(0, 0, 0, 1),
    violation: fc.option(fc.constantFrom(...HEAD_VIOLATIONS), { freq: 2, nil: undefined }),
    where: fc.nat(),
  });

/** The head as latin1 text, with its one violation if it has one. */
export function renderHead(spec: HeadSpec): string {
  const v = spec.violation;
  const headers = spec.headers.map((h) => ({ ...h }));
  const needsHeader = v === 'bare-cr' || v === 'obs-fold' || v === 'space-before-colon' || v === 'no-colon' || v === 'control-in-value' || v === 'bad-name';
  if (needsHeader && headers.length === 0) headers.push({ name: 'X-Fuzz', value: 'value', before: ' ', after: '', eol: '\r\n' });
  const i = spec.where % Math.max(1, headers.length);
  let version = `HTTP/${spec.version}`;
  if (v === 'bad-version') version = ['HTTP/1.10', 'HTTP/1', 'HTTP/x.1', 'http/1.1', 'HTTP/1.1 '][spec.where % 5]!;
  let start = spec.kind === 'request' ? `${spec.method} ${spec.target} ${version}` : `${version} ${spec.status} ${spec.reason}`;
  if (v === 'bad-start-line') start = spec.kind === 'request' ? `${spec.method}  ${spec.target} ${version}` : `${version} ${String(spec.status).slice(0, 2)} x`;
  const lines = headers.map((h, k) => {
    let { name, value } = h;
    let line = `${name}:${h.before}${value}${h.after}`;
    if (k === i) {
      const mid = Math.floor(value.length / 2);
      if (v === 'bare-cr') line = `${name}:${h.before}${value.slice(0, mid)}\r${value.slice(mid)}x`;
      if (v === 'control-in-value') line = `${name}:${h.before}${value.slice(0, mid)}\x01${value.slice(mid)}`;
      if (v === 'obs-fold') line = ` ${line}`;
      if (v === 'space-before-colon') line = `${name} :${value}`;
      if (v === 'no-colon') line = `${name}${value.replace(/:/g, '')}`;
      if (v === 'bad-name') {
        name = `${name}(`;
        line = `${name}:${value}`;
      }
      value = '';
    }
    return line + h.eol;
  });
  return '\r\n'.repeat(spec.leadingEmptyLines) + start + spec.startEol + lines.join('') + spec.endEol;
}

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const trimOws = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '');

type HeadResult = ReturnType<HttpHeadParser<'request' | 'response'>['push']>;

/** Pushes the pieces until the parser answers; returns the answer and the bytes after the head. */
export function parseHead(kind: 'request' | 'response', pieces: readonly Uint8Array[], limits = {}): { result: HeadResult; rest: Uint8Array } {
  const parser = new HttpHeadParser(kind, limits);
  for (let k = 0; k < pieces.length; k++) {
    const result = parser.push(pieces[k]!);
    if (result !== null) return { result, rest: result instanceof HandshakeError ? new Uint8Array(0) : concat([parser.rest, ...pieces.slice(k + 1)]) };
  }
  return { result: null, rest: new Uint8Array(0) };
}

export interface HeadInput {
  readonly spec: HeadSpec;
  readonly extra: Uint8Array;
  readonly chunking: Chunking;
}

export const httpHead = defineProperty<HeadInput>({
  name: 'http-head-parser',
  ciRuns: 400,
  arbitrary: fc.record({ spec: headSpec(), extra: fc.uint8Array({ maxLength: 40 }), chunking: chunking() }),
  check({ spec, extra, chunking: how }) {
    const text = renderHead(spec);
    const bytes = concat([latin1(text), extra]);
    const { result, rest } = parseHead(spec.kind, cut(bytes, how));
    const whole = parseHead(spec.kind, [bytes]);
    assert.deepEqual(result, whole.result, 'the answer depends on how the bytes were split');
    if (spec.violation !== undefined) {
      assert.ok(result instanceof HandshakeError, `accepted a head with ${spec.violation}: ${JSON.stringify(text)}`);
      assert.equal(result.status, 400);
      assert.equal(result.code, 'WS_ERR_MALFORMED_HTTP');
      return;
    }
    assert.ok(result !== null && !(result instanceof HandshakeError), `rejected a valid head ${JSON.stringify(text)}: ${result instanceof HandshakeError ? result.message : 'no answer'}`);
    assert.deepEqual(rest, extra, 'the bytes after the head are handed back unchanged');
    assert.deepEqual(
      result.headers.map(([n, v]) => [n, v]),
      spec.headers.map((h) => [h.name, trimOws(h.value)]),
    );
    if (result.kind === 'request') {
      assert.deepEqual([result.method, result.target, result.httpVersion], [spec.method, spec.target, spec.version]);
    } else {
      assert.deepEqual([result.httpVersion, result.status, result.reason], [spec.version, spec.status, spec.reason]);
    }
  },
});

export interface HostileHeadInput {
  readonly kind: 'request' | 'response';
  readonly bytes: Uint8Array;
  readonly chunking: Chunking;
  readonly maxHeadSize: number;
  readonly maxHeaderCount: number;
}

/** Arbitrary bytes, mostly made of the characters that matter to an HTTP head. */
const headishBytes = fc.array(
  fc.oneof(
    fc.constantFrom('\r', '\n', '\r\n', '\n\n', '\r\n\r\n', ':', ' ', '\t', 'GET / HTTP/1.1\r\n', 'HTTP/1.1 101 OK\r\n', 'Host: x\r\n', 'a', '\x00', '\x7f', '\xff'),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 60 },
).map((parts) => latin1(parts.join('').replace(/[^\x00-\xff]/g, '?')));

export const httpHeadHostile = defineProperty<HostileHeadInput>({
  name: 'http-head-hostile',
  ciRuns: 400,
  arbitrary: fc.record({
    kind: fc.constantFrom('request' as const, 'response' as const),
    bytes: fc.oneof(headishBytes, headishBytes.map((b) => concat([b, latin1('\r\n\r\n')])), fc.uint8Array({ maxLength: 200 })),
    chunking: chunking(),
    maxHeadSize: fc.constantFrom(16, 64, 16384),
    maxHeaderCount: fc.constantFrom(0, 2, 100),
  }),
  check({ kind, bytes, chunking: how, maxHeadSize, maxHeaderCount }) {
    const limits = { maxHeadSize, maxHeaderCount };
    const { result } = parseHead(kind, cut(bytes, how), limits);
    assert.deepEqual(result, parseHead(kind, [bytes], limits).result, 'the answer depends on how the bytes were split');
    if (result instanceof HandshakeError) {
      assert.ok(result.status === 400 || result.status === 431, `status ${result.status}`);
      assert.equal(result.status === 431, result.code === 'WS_ERR_HEAD_TOO_LARGE' || result.code === 'WS_ERR_TOO_MANY_HEADERS');
    } else if (result !== null) {
      assert.ok(result.headers.length <= maxHeaderCount, 'more header fields than maxHeaderCount');
      for (const [name] of result.headers) assert.ok(isToken(name), `header name ${JSON.stringify(name)} is not a token`);
    } else {
      assert.ok(bytes.length <= maxHeadSize, `buffered ${bytes.length} bytes without an answer (limit ${maxHeadSize})`);
    }
  },
});

// ---- Sec-WebSocket-Extensions (RFC 6455 §9.1) ----

export interface ExtensionHeaderInput {
  readonly offers: ReadonlyArray<{ readonly name: string; readonly params: ReadonlyArray<readonly [string, string | true]> }>;
  readonly layout: ReadonlyArray<{ readonly ows: readonly string[]; readonly quote: boolean; readonly escape: boolean; readonly emptyBefore: boolean }>;
}

export const extensionHeader = defineProperty<ExtensionHeaderInput>({
  name: 'extension-header',
  ciRuns: 400,
  arbitrary: fc.record({
    offers: fc.array(fc.record({ name: token(), params: fc.array(fc.tuple(token(), fc.oneof(fc.constant(true as const), token())), { maxLength: 4 }) }), { minLength: 1, maxLength: 4 }),
    layout: fc.array(fc.record({ ows: fc.array(ows, { minLength: 4, maxLength: 4 }), quote: fc.boolean(), escape: fc.boolean(), emptyBefore: fc.boolean() }), { minLength: 20, maxLength: 20 }),
  }),
  check({ offers, layout }) {
    // Render with optional whitespace, quoted (and escaped) values and empty list elements.
    let k = 0;
    const next = () => layout[k++ % layout.length]!;
    const text = offers
      .map((offer) => {
        const l = next();
        let s = (l.emptyBefore ? ` ,${l.ows[0]}` : '') + offer.name;
        for (const [name, value] of offer.params) {
          const p = next();
          s += `${p.ows[0]};${p.ows[1]}${name}`;
          if (value !== true) {
            const quoted = p.escape ? value.replace(/./g, (c) => `\\${c}`) : value;
            s += `${p.ows[2]}=${p.ows[3]}${p.quote || p.escape ? `"${quoted}"` : value}`;
          }
        }
        return s;
      })
      .join(`${layout[0]!.ows[1]},${layout[0]!.ows[2]}`);
    const parsed = parseExtensionHeader(text);
    assert.deepEqual(parsed, offers.map((o) => ({ name: o.name, params: o.params.map(([n, v]) => [n, v]) })), `parsing ${JSON.stringify(text)}`);
    // The formatter's output parses back to the same offers.
    assert.deepEqual(parseExtensionHeader(formatExtensionHeader(parsed!)), parsed);
  },
});

export const extensionHeaderHostile = defineProperty<string>({
  name: 'extension-header-hostile',
  ciRuns: 600,
  arbitrary: fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', ',', ';', '=', '"', '\\', '\x00', '\x7f', 'é', '(', '1'), maxLength: 80 }),
    fc.string({ maxLength: 80 }),
  ),
  check(text) {
    const parsed = parseExtensionHeader(text);
    if (parsed === null) return;
    for (const offer of parsed) {
      assert.ok(isToken(offer.name), `extension name ${JSON.stringify(offer.name)}`);
      for (const [name, value] of offer.params) {
        assert.ok(isToken(name), `parameter name ${JSON.stringify(name)}`);
        assert.ok(value === true || isToken(value), `parameter value ${JSON.stringify(value)} (§9.1: a token once unquoted)`);
      }
    }
  },
});

// ---- The server's checks of the upgrade request (RFC 6455 §4.2.1) ----

export const REQUEST_VIOLATIONS = ['method', 'http-version', 'upgrade', 'connection', 'key', 'version', 'protocol'] as const;
export type RequestViolation = (typeof REQUEST_VIOLATIONS)[number];

export interface UpgradeRequestInput {
  readonly key: Uint8Array;
  readonly version: '13' | '8';
  readonly nameCase: readonly boolean[];
  readonly upgradeValue: string;
  readonly connectionTokens: readonly string[];
  readonly protocols: readonly string[];
  readonly extra: ReadonlyArray<readonly [string, string]>;
  readonly recordForm: boolean;
  readonly violation: RequestViolation | undefined;
  readonly variant: number;
}

const randomCase = (s: string, flags: readonly boolean[]) => s.replace(/./g, (c, i: number) => (flags[i % flags.length] ? c.toUpperCase() : c.toLowerCase()));

/** Expected status and code of each violation. */
const EXPECTED: Record<RequestViolation, [number, string]> = {
  method: [405, 'WS_ERR_INVALID_METHOD'],
  'http-version': [400, 'WS_ERR_INVALID_HTTP_VERSION'],
  upgrade: [400, 'WS_ERR_INVALID_UPGRADE_HEADER'],
  connection: [400, 'WS_ERR_INVALID_CONNECTION_HEADER'],
  key: [400, 'WS_ERR_INVALID_KEY'],
  version: [426, 'WS_ERR_UNSUPPORTED_VERSION'],
  protocol: [400, 'WS_ERR_INVALID_PROTOCOL_HEADER'],
};

export function buildRequest(input: UpgradeRequestInput): IncomingRequest {
  const v = input.violation;
  const n = input.variant;
  const key = Buffer.from(input.key).toString('base64');
  const headers: Array<[string, string]> = [['Host', 'example.com']];
  const name = (s: string) => randomCase(s, input.nameCase);
  if (v !== 'upgrade' || n % 3 !== 0) headers.push([name('Upgrade'), v === 'upgrade' ? ['h2c', 'websocket2', 'web socket'][n % 3]! : input.upgradeValue]);
  const connection = v === 'connection' ? ['keep-alive', 'upgrades', 'upgrade;x', ''][n % 4]! : input.connectionTokens.join(', ');
  headers.push([name('Connection'), connection]);
  if (v !== 'key' || n % 4 !== 0) {
    const bad = [key, Buffer.alloc(15).toString('base64'), Buffer.alloc(17).toString('base64'), `${key.slice(0, 22)}!=`][n % 4]!;
    headers.push([name('Sec-WebSocket-Key'), v === 'key' ? bad : key]);
  } else {
    // A repeated key joins to something longer, so it is invalid.
    headers.push([name('Sec-WebSocket-Key'), key], [name('sec-websocket-key'), key]);
  }
  if (v !== 'version' || n % 4 !== 0) headers.push([name('Sec-WebSocket-Version'), v === 'version' ? ['12', '13, 8', '013a', ''][n % 4]! : input.version]);
  if (v === 'protocol') headers.push(['Sec-WebSocket-Protocol', ['chat, chat', 'a b', 'x,(y)', ''][n % 4]!]);
  else if (input.protocols.length > 0) headers.push(['Sec-WebSocket-Protocol', input.protocols.join(', ')]);
  for (const pair of input.extra) headers.push([pair[0], pair[1]]);
  const record: Record<string, string[]> = {};
  for (const [k, value] of headers) (record[k.toLowerCase()] ??= []).push(value);
  return {
    method: v === 'method' ? ['POST', 'get', 'HEAD'][n % 3]! : 'GET',
    target: '/chat',
    httpVersion: v === 'http-version' ? ['1.0', '0.9', 'x'][n % 3]! : ['1.1', '2.0'][n % 2]!,
    headers: input.recordForm ? record : headers,
  };
}

export const upgradeRequest = defineProperty<UpgradeRequestInput>({
  name: 'upgrade-request',
  ciRuns: 400,
  arbitrary: fc.record({
    key: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    version: fc.constantFrom('13' as const, '8' as const),
    nameCase: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    upgradeValue: fc.constantFrom('websocket', 'WebSocket', 'WEBSOCKET', 'websocket, h2c', 'h2c,websocket'),
    connectionTokens: fc.shuffledSubarray(['keep-alive', 'close', 'x-custom'], { minLength: 0 }).chain((others) =>
      fc.constantFrom('Upgrade', 'upgrade', 'UPGRADE').chain((up) => fc.shuffledSubarray([...others, up], { minLength: others.length + 1 })),
    ),
    protocols: fc.uniqueArray(token(10), { maxLength: 4 }),
    extra: fc.array(fc.tuple(token(10).map((t) => `X-${t}`), fieldValue), { maxLength: 5 }),
    recordForm: fc.boolean(),
    violation: fc.option(fc.constantFrom(...REQUEST_VIOLATIONS), { freq: 2, nil: undefined }),
    variant: fc.nat(),
  }),
  check(input) {
    const request = buildRequest(input);
    const result = validateClientRequest(request);
    if (input.violation === undefined) {
      assert.ok(!(result instanceof HandshakeError), `rejected a valid request: ${result instanceof HandshakeError ? result.message : ''} ${JSON.stringify(request)}`);
      assert.equal(result.key, Buffer.from(input.key).toString('base64'));
      assert.equal(result.version, Number(input.version));
      assert.deepEqual(result.protocols, input.protocols);
      return;
    }
    assert.ok(result instanceof HandshakeError, `accepted a request with a bad ${input.violation}: ${JSON.stringify(request)}`);
    const [status, code] = EXPECTED[input.violation];
    assert.deepEqual([result.status, result.code], [status, code], `${input.violation} variant ${input.variant % 4}`);
    if (status === 426) assert.ok(result.headers.some(([n]) => n.toLowerCase() === 'sec-websocket-version'), '§4.4: 426 names the versions spoken');
  },
});

// ---- The whole server handshake over raw bytes, and the accept key (RFC 6455 §4.2.2) ----

/** base64(SHA-1(key + GUID)) by node:crypto: the reference for the core's pure-TS SHA-1. */
export const referenceAcceptKey = (key: string): string =>
  createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');

export const acceptKey = defineProperty<string>({
  name: 'accept-key',
  ciRuns: 500,
  arbitrary: fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64')), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', minLength: 50, maxLength: 130 })),
  check(key) {
    assert.equal(computeAcceptKey(key), referenceAcceptKey(key));
  },
});

export interface ServerHandshakeInput {
  readonly request: UpgradeRequestInput;
  readonly extra: Uint8Array;
  readonly chunking: Chunking;
}

/** The request as bytes on the wire. */
function renderRequest(request: IncomingRequest): Uint8Array {
  const pairs = request.headers as ReadonlyArray<readonly [string, string]>;
  const head = `${request.method} ${request.target} HTTP/${request.httpVersion}\r\n${pairs.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return latin1(head);
}

export const serverHandshakeBytes = defineProperty<ServerHandshakeInput>({
  name: 'server-handshake-bytes',
  ciRuns: 300,
  arbitrary: fc.record({ request: upgradeRequest.arbitrary.map((r) => ({ ...r, recordForm: false })), extra: fc.uint8Array({ maxLength: 30 }), chunking: chunking() }),
  check({ request: input, extra, chunking: how }) {
    const request = buildRequest(input);
    const pieces = cut(concat([renderRequest(request), extra]), how);
    const handshake = new ServerHandshake();
    let result: ReturnType<ServerHandshake['receiveData']> = null;
    let k = 0;
    while (result === null && k < pieces.length) result = handshake.receiveData(pieces[k++]!);
    assert.ok(result !== null, 'no answer to a complete request');
    if (input.violation !== undefined) {
      assert.ok(result instanceof HandshakeError, `accepted a request with a bad ${input.violation}`);
      assert.equal(result.status, EXPECTED[input.violation][0]);
      return;
    }
    assert.ok(!(result instanceof HandshakeError), `rejected a valid request: ${result instanceof HandshakeError ? result.message : ''}`);
    // Frames that came with the request are handed back, not lost (DESIGN: early messages).
    assert.deepEqual(concat([result.rest, ...pieces.slice(k)]), extra);
    const accepted = handshake.accept();
    assert.ok(!(accepted instanceof HandshakeError));
    const response = Buffer.from(accepted.response).toString('latin1');
    const [statusLine, ...lines] = response.split('\r\n');
    assert.match(statusLine ?? '', /^HTTP\/1\.1 101 /);
    const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    assert.equal(header('sec-websocket-accept'), referenceAcceptKey(Buffer.from(input.key).toString('base64')));
    assert.equal(header('upgrade')?.toLowerCase(), 'websocket');
    assert.equal(header('connection')?.toLowerCase(), 'upgrade');
    assert.ok(response.endsWith('\r\n\r\n'));
  },
});
