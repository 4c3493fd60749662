import { describe, expect, it } from 'vitest';
import {
  HandshakeError,
  HeaderList,
  InvalidArgumentError,
  createAcceptHeaders,
  createRejectResponse,
  negotiateExtensions,
  serializeResponse,
  validateClientRequest,
  type HandshakeErrorCode,
  type HeaderPairs,
  type IncomingRequest,
  type ServerHandshakeOptions,
  type ValidatedRequest,
} from '../src/index.js';
import { fakeFactory } from './handshake-fakes.js';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** RFC 6455 §1.3's sample request. */
const rfcHeaders: HeaderPairs = [
  ['Host', 'server.example.com'],
  ['Upgrade', 'websocket'],
  ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
  ['Origin', 'http://example.com'],
  ['Sec-WebSocket-Protocol', 'chat, superchat'],
  ['Sec-WebSocket-Version', '13'],
];

function request(headers: HeaderPairs = rfcHeaders, rest: Partial<IncomingRequest> = {}): IncomingRequest {
  return { method: 'GET', target: '/chat', httpVersion: '1.1', headers, ...rest };
}

/** The §1.3 headers with `name` replaced (or removed when value is undefined). */
function withHeader(name: string, value: string | undefined): HeaderPairs {
  const out = rfcHeaders.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  return value === undefined ? out : [...out, [name, value]];
}

function expectRejected(
  result: ValidatedRequest | HandshakeError,
  status: number,
  code: HandshakeErrorCode,
): HandshakeError {
  expect(result).toBeInstanceOf(HandshakeError);
  const error = result as HandshakeError;
  expect(error.status).toBe(status);
  expect(error.code).toBe(code);
  return error;
}

function validated(incoming: IncomingRequest, options?: ServerHandshakeOptions): ValidatedRequest {
  const result = validateClientRequest(incoming, options);
  if (result instanceof HandshakeError) throw result;
  return result;
}

describe('validateClientRequest: RFC 6455 §1.3 example', () => {
  it('accepts the sample request and reports what it offers', () => {
    const result = validated(request());
    expect(result.key).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(result.version).toBe(13);
    expect(result.protocols).toEqual(['chat', 'superchat']);
    expect(result.extensionOffers).toEqual([]);
    expect(result.origin).toBe('http://example.com');
    expect(result.target).toBe('/chat');
    expect(result.headers.get('host')).toBe('server.example.com');
  });

  it('builds the sample response headers', () => {
    const result = validated(request());
    const headers = createAcceptHeaders(result, { protocol: 'chat' });
    expect(headers).toEqual([
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
      ['Sec-WebSocket-Protocol', 'chat'],
    ]);
    expect(decode(serializeResponse(101, headers))).toBe(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
        'Sec-WebSocket-Protocol: chat\r\n' +
        '\r\n',
    );
  });

  it('accepts Node-style header records (lower-case names, arrays for repeats)', () => {
    const result = validated(
      request(undefined, {
        headers: {
          host: 'server.example.com',
          upgrade: 'WebSocket',
          connection: 'keep-alive, Upgrade',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-version': '13',
          'sec-websocket-protocol': ['chat', 'superchat'],
          origin: undefined,
        },
      }),
    );
    expect(result.protocols).toEqual(['chat', 'superchat']);
    expect(result.origin).toBeUndefined();
  });
});

describe('validateClientRequest: what it accepts', () => {
  it('header names in any case, Upgrade/Connection values in any case, Connection as a token list', () => {
    const headers: HeaderPairs = [
      ['HOST', 'a'],
      ['upgrade', 'WEBSOCKET'],
      ['connection', 'keep-alive,  UPGRADE'],
      ['sec-websocket-KEY', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Version', '13'],
    ];
    expect(validateClientRequest(request(headers))).not.toBeInstanceOf(HandshakeError);
  });
  it('Connection split over repeated fields, and Upgrade listing other protocols too', () => {
    const headers: HeaderPairs = [
      ...withHeader('Connection', 'keep-alive'),
      ['Connection', 'Upgrade'],
      ['Upgrade', 'h2c'],
    ].filter(([n, v]) => !(n === 'Upgrade' && v === 'websocket')) as HeaderPairs;
    expect(validateClientRequest(request([...headers, ['Upgrade', 'websocket/13']]))).toBeInstanceOf(HandshakeError);
    expect(validateClientRequest(request([...headers, ['Upgrade', 'websocket']]))).not.toBeInstanceOf(HandshakeError);
  });
  it('HTTP versions above 1.1', () => {
    expect(validateClientRequest(request(undefined, { httpVersion: '2.0' }))).not.toBeInstanceOf(HandshakeError);
  });
  it('repeated Sec-WebSocket-Protocol fields as one list', () => {
    const result = validated(request([...withHeader('Sec-WebSocket-Protocol', 'a'), ['Sec-WebSocket-Protocol', 'b, c']]));
    expect(result.protocols).toEqual(['a', 'b', 'c']);
  });
  it('version 8 by default, with its origin in Sec-WebSocket-Origin', () => {
    const headers: HeaderPairs = [
      ...withHeader('Sec-WebSocket-Version', '8'),
      ['Sec-WebSocket-Origin', 'http://old.example'],
    ];
    const result = validated(request(headers));
    expect(result.version).toBe(8);
    expect(result.origin).toBe('http://old.example');
  });
  it('parses extension offers when the server has extensions', () => {
    const headers = withHeader('Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits, x-foo; a="1"');
    const result = validated(request(headers), { extensions: [fakeFactory('permessage-deflate')] });
    expect(result.extensionOffers).toEqual([
      { name: 'permessage-deflate', params: [['client_max_window_bits', true]] },
      { name: 'x-foo', params: [['a', '1']] },
    ]);
  });
  it('ignores a malformed extension header when it has no extensions to negotiate (like ws)', () => {
    const headers = withHeader('Sec-WebSocket-Extensions', 'permessage-deflate; a="');
    expect(validated(request(headers)).extensionOffers).toEqual([]);
  });
});

describe('validateClientRequest: every rejection, with its status and code', () => {
  const cases: Array<[string, IncomingRequest, number, HandshakeErrorCode]> = [
    ['POST', request(undefined, { method: 'POST' }), 405, 'WS_ERR_INVALID_METHOD'],
    ['lower-case get', request(undefined, { method: 'get' }), 405, 'WS_ERR_INVALID_METHOD'],
    ['HTTP/1.0', request(undefined, { httpVersion: '1.0' }), 400, 'WS_ERR_INVALID_HTTP_VERSION'],
    ['HTTP/0.9', request(undefined, { httpVersion: '0.9' }), 400, 'WS_ERR_INVALID_HTTP_VERSION'],
    ['garbage version', request(undefined, { httpVersion: 'x' }), 400, 'WS_ERR_INVALID_HTTP_VERSION'],
    ['no Upgrade', request(withHeader('Upgrade', undefined)), 400, 'WS_ERR_INVALID_UPGRADE_HEADER'],
    ['Upgrade: h2c', request(withHeader('Upgrade', 'h2c')), 400, 'WS_ERR_INVALID_UPGRADE_HEADER'],
    ['Upgrade: websockets', request(withHeader('Upgrade', 'websockets')), 400, 'WS_ERR_INVALID_UPGRADE_HEADER'],
    ['no Connection', request(withHeader('Connection', undefined)), 400, 'WS_ERR_INVALID_CONNECTION_HEADER'],
    ['Connection: keep-alive', request(withHeader('Connection', 'keep-alive')), 400, 'WS_ERR_INVALID_CONNECTION_HEADER'],
    ['Connection: upgraded', request(withHeader('Connection', 'upgraded')), 400, 'WS_ERR_INVALID_CONNECTION_HEADER'],
    ['Connection not a token list', request(withHeader('Connection', 'Upgrade; x')), 400, 'WS_ERR_INVALID_CONNECTION_HEADER'],
    ['no key', request(withHeader('Sec-WebSocket-Key', undefined)), 400, 'WS_ERR_INVALID_KEY'],
    ['key of 15 bytes', request(withHeader('Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAA')), 400, 'WS_ERR_INVALID_KEY'],
    ['key not base64', request(withHeader('Sec-WebSocket-Key', 'not a base64 key at all!')), 400, 'WS_ERR_INVALID_KEY'],
    [
      'key repeated',
      request([...rfcHeaders, ['Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAA==']]),
      400,
      'WS_ERR_INVALID_KEY',
    ],
    ['no version', request(withHeader('Sec-WebSocket-Version', undefined)), 426, 'WS_ERR_UNSUPPORTED_VERSION'],
    ['version 12', request(withHeader('Sec-WebSocket-Version', '12')), 426, 'WS_ERR_UNSUPPORTED_VERSION'],
    ['version "13, 13"', request(withHeader('Sec-WebSocket-Version', '13, 13')), 426, 'WS_ERR_UNSUPPORTED_VERSION'],
    ['version 13.0', request(withHeader('Sec-WebSocket-Version', '13.0')), 426, 'WS_ERR_UNSUPPORTED_VERSION'],
    ['empty protocol list', request(withHeader('Sec-WebSocket-Protocol', '')), 400, 'WS_ERR_INVALID_PROTOCOL_HEADER'],
    ['protocol not a token', request(withHeader('Sec-WebSocket-Protocol', 'chat, su/perchat')), 400, 'WS_ERR_INVALID_PROTOCOL_HEADER'],
    ['protocol with a space', request(withHeader('Sec-WebSocket-Protocol', 'chat super')), 400, 'WS_ERR_INVALID_PROTOCOL_HEADER'],
    ['duplicate protocol', request(withHeader('Sec-WebSocket-Protocol', 'chat, chat')), 400, 'WS_ERR_INVALID_PROTOCOL_HEADER'],
    [
      'duplicate protocol across fields',
      request([...rfcHeaders, ['Sec-WebSocket-Protocol', 'superchat']]),
      400,
      'WS_ERR_INVALID_PROTOCOL_HEADER',
    ],
  ];
  for (const [name, incoming, status, code] of cases) {
    it(name, () => {
      expectRejected(validateClientRequest(incoming), status, code);
    });
  }

  it('answers an unsupported version with the versions it speaks (§4.4)', () => {
    const error = expectRejected(
      validateClientRequest(request(withHeader('Sec-WebSocket-Version', '7'))),
      426,
      'WS_ERR_UNSUPPORTED_VERSION',
    );
    expect(error.headers).toEqual([['Sec-WebSocket-Version', '13, 8']]);
    const only13 = expectRejected(
      validateClientRequest(request(withHeader('Sec-WebSocket-Version', '8')), { protocolVersions: [13] }),
      426,
      'WS_ERR_UNSUPPORTED_VERSION',
    );
    expect(only13.headers).toEqual([['Sec-WebSocket-Version', '13']]);
  });

  it('rejects a malformed extension header when it negotiates extensions', () => {
    const options = { extensions: [fakeFactory('permessage-deflate')] };
    for (const bad of ['permessage-deflate; a="', 'permessage-deflate;', ';', 'a b', 'x; y="a b"', 'x; =1']) {
      expectRejected(
        validateClientRequest(request(withHeader('Sec-WebSocket-Extensions', bad)), options),
        400,
        'WS_ERR_INVALID_EXTENSION_HEADER',
      );
    }
  });
});

describe('negotiateExtensions', () => {
  it('gives each factory all offers with its name, in the client order, and answers in factory order', () => {
    const deflate = fakeFactory('permessage-deflate', { acceptOnly: (o) => o.params.length === 0 });
    const other = fakeFactory('x-other', { rsvMask: 0x20 });
    const offers = [
      { name: 'x-other', params: [['level', '3']] as const },
      { name: 'permessage-deflate', params: [['client_max_window_bits', '10']] as const },
      { name: 'x-unknown', params: [] },
      { name: 'permessage-deflate', params: [] },
    ];
    const result = negotiateExtensions(offers, [deflate, other]);
    if (result instanceof HandshakeError) throw result;
    expect(deflate.seen).toEqual([[offers[1], offers[3]]]);
    expect(other.seen).toEqual([[offers[0]]]);
    expect(result.header).toBe('permessage-deflate, x-other; level=3');
    expect(result.extensions.map((e) => e.name)).toEqual(['permessage-deflate', 'x-other']);
  });

  it('ignores offers no factory knows, and factories nobody offered', () => {
    const unused = fakeFactory('x-unused');
    const result = negotiateExtensions([{ name: 'x-unknown', params: [] }], [unused]);
    expect(result).toEqual({ header: '', extensions: [] });
    expect(unused.seen).toEqual([]);
  });

  it('skips (and disposes) a later extension claiming an RSV bit already taken', () => {
    const log: string[] = [];
    const first = fakeFactory('x-first', { rsvMask: 0x40, log });
    const second = fakeFactory('x-second', { rsvMask: 0x60, log });
    const third = fakeFactory('x-third', { rsvMask: 0x10, log });
    const offers = ['x-first', 'x-second', 'x-third'].map((name) => ({ name, params: [] }));
    const result = negotiateExtensions(offers, [first, second, third]);
    if (result instanceof HandshakeError) throw result;
    expect(result.header).toBe('x-first, x-third');
    expect(result.extensions.map((e) => e.name)).toEqual(['x-first', 'x-third']);
    expect(log).toEqual(['accept x-first', 'accept x-second', 'dispose x-second', 'accept x-third']);
  });

  it('turns a factory that throws on the offer into a 400 (like ws), disposing what it accepted', () => {
    const log: string[] = [];
    const result = negotiateExtensions(
      [
        { name: 'x-ok', params: [] },
        { name: 'x-bad', params: [] },
      ],
      [fakeFactory('x-ok', { log }), fakeFactory('x-bad', { rsvMask: 0x20, throwOnAccept: true })],
    );
    expectRejected(result as HandshakeError, 400, 'WS_ERR_INVALID_EXTENSION_HEADER');
    expect(log).toEqual(['accept x-ok', 'dispose x-ok']);
  });
});

describe('createAcceptHeaders', () => {
  const base = validated(request());
  it('adds the extensions header, then extra headers in order', () => {
    expect(
      createAcceptHeaders(base, {
        extensionsHeader: 'permessage-deflate',
        headers: [
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
        ],
      }),
    ).toEqual([
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
      ['Sec-WebSocket-Extensions', 'permessage-deflate'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });
  it('refuses header injection and non-token protocols (local misuse)', () => {
    expect(() => createAcceptHeaders(base, { protocol: 'chat\r\nX-Evil: 1' })).toThrow(InvalidArgumentError);
    expect(() => createAcceptHeaders(base, { headers: { 'X-A': 'v\r\nX-Evil: 1' } })).toThrow(InvalidArgumentError);
    expect(() => createAcceptHeaders(base, { headers: [['Bad Name', 'v']] })).toThrow(InvalidArgumentError);
  });
});

describe('createRejectResponse (like ws abortHandshake)', () => {
  it('sends the reason phrase as the body by default', () => {
    expect(decode(createRejectResponse(400))).toBe(
      'HTTP/1.1 400 Bad Request\r\n' +
        'Connection: close\r\n' +
        'Content-Type: text/html\r\n' +
        'Content-Length: 11\r\n' +
        '\r\n' +
        'Bad Request',
    );
  });
  it('sends a message and extra headers (a 426 with the versions)', () => {
    const error = validateClientRequest(request(withHeader('Sec-WebSocket-Version', '99'))) as HandshakeError;
    expect(decode(createRejectResponse(error.status!, { message: error.message, headers: error.headers }))).toBe(
      'HTTP/1.1 426 Upgrade Required\r\n' +
        'Connection: close\r\n' +
        'Content-Type: text/html\r\n' +
        'Content-Length: 47\r\n' +
        'Sec-WebSocket-Version: 13, 8\r\n' +
        '\r\n' +
        'Missing or invalid Sec-WebSocket-Version header',
    );
  });
  it('accepts numeric header values from JavaScript callers (like ws verifyClient headers)', () => {
    const bytes = createRejectResponse(429, { headers: { 'Retry-After': 120 } as unknown as Record<string, string> });
    expect(decode(bytes)).toContain('\r\nRetry-After: 120\r\n');
  });
  it('counts Content-Length in UTF-8 bytes and lets extra headers replace ours', () => {
    const text = decode(createRejectResponse(401, { message: 'nö', headers: { 'content-type': 'text/plain' } }));
    expect(text).toBe(
      'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 3\r\ncontent-type: text/plain\r\n\r\nnö',
    );
  });
  it('knows the statuses a handshake uses', () => {
    for (const [status, phrase] of [
      [403, 'Forbidden'],
      [404, 'Not Found'],
      [405, 'Method Not Allowed'],
      [431, 'Request Header Fields Too Large'],
      [500, 'Internal Server Error'],
      [503, 'Service Unavailable'],
    ] as const) {
      expect(decode(createRejectResponse(status))).toContain(`HTTP/1.1 ${status} ${phrase}\r\n`);
    }
  });
});

describe('HeaderList', () => {
  it('is case-insensitive, joins repeats with ", ", keeps order and names', () => {
    const list = HeaderList.from([
      ['A', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
    expect(list.get('a')).toBe('1, 3');
    expect(list.has('B')).toBe(true);
    expect(list.has('c')).toBe(false);
    expect(list.get('c')).toBeUndefined();
    expect(list.entries()).toEqual([
      ['A', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
  });
  it('reads records with arrays and skips undefined', () => {
    const list = HeaderList.from({ 'set-cookie': ['x=1', 'y=2'], host: 'h', nothing: undefined });
    expect(list.get('Set-Cookie')).toBe('x=1, y=2');
    expect(list.has('nothing')).toBe(false);
  });
});
