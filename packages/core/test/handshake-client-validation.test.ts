import { describe, expect, it } from 'vitest';
import {
  HandshakeError,
  InvalidArgumentError,
  computeAcceptKey,
  createClientRequest,
  serializeRequest,
  validateServerResponse,
  type AcceptedResponse,
  type ClientRequest,
  type ClientRequestOptions,
  type HandshakeErrorCode,
  type HeaderPairs,
} from '../src/index.js';
import { fakeFactory } from './handshake-fakes.js';

const sampleNonce = (target: Uint8Array): void => target.set(new TextEncoder().encode('the sample nonce'));

function rfcRequest(options: Partial<ClientRequestOptions> = {}): ClientRequest {
  return createClientRequest({
    host: 'server.example.com',
    path: '/chat',
    protocols: ['chat', 'superchat'],
    origin: 'http://example.com',
    randomFill: sampleNonce,
    ...options,
  });
}

/** RFC 6455 §1.3's sample response. */
const rfcResponse: HeaderPairs = [
  ['Upgrade', 'websocket'],
  ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
  ['Sec-WebSocket-Protocol', 'chat'],
];

function withHeader(headers: HeaderPairs, name: string, value: string | undefined): HeaderPairs {
  const out = headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  return value === undefined ? out : [...out, [name, value]];
}

function expectFailure(result: AcceptedResponse | HandshakeError, code: HandshakeErrorCode, status = 101): HandshakeError {
  expect(result).toBeInstanceOf(HandshakeError);
  const error = result as HandshakeError;
  expect(error.code).toBe(code);
  expect(error.status).toBe(status);
  return error;
}

describe('createClientRequest', () => {
  it('builds the RFC 6455 §1.3 sample request', () => {
    const request = rfcRequest();
    expect(request.key).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(new TextDecoder().decode(serializeRequest(request))).toBe(
      'GET /chat HTTP/1.1\r\n' +
        'Host: server.example.com\r\n' +
        'Connection: Upgrade\r\n' +
        'Upgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Protocol: chat, superchat\r\n' +
        'Origin: http://example.com\r\n' +
        '\r\n',
    );
  });

  it('uses a fresh random key by default', () => {
    const a = createClientRequest({ host: 'h', path: '/' });
    const b = createClientRequest({ host: 'h', path: '/' });
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('adds extension offers, origin as Sec-WebSocket-Origin for version 8, then extra headers', () => {
    const deflate = fakeFactory('permessage-deflate', {
      offers: [
        { name: 'permessage-deflate', params: [['client_max_window_bits', true]] },
        { name: 'permessage-deflate', params: [] },
      ],
    });
    const silent = fakeFactory('x-silent', { offers: [] });
    const request = createClientRequest({
      host: 'h:8080',
      path: '/a?b=c',
      extensions: [deflate, silent],
      origin: 'http://o',
      protocolVersion: 8,
      headers: { Authorization: 'Bearer x', Cookie: ['a=1', 'b=2'] },
      randomFill: sampleNonce,
    });
    expect(request.headers).toEqual([
      ['Host', 'h:8080'],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Version', '8'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits, permessage-deflate'],
      ['Sec-WebSocket-Origin', 'http://o'],
      ['Authorization', 'Bearer x'],
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
    ]);
    // A factory with nothing to offer is not part of the request.
    expect(request.extensions).toEqual([deflate]);
    expect(new TextDecoder().decode(serializeRequest(request)).startsWith('GET /a?b=c HTTP/1.1\r\n')).toBe(true);
  });

  it('lets extra headers replace Host and Origin, but never the handshake fields', () => {
    const request = rfcRequest({
      protocols: ['chat'],
      headers: [
        ['host', 'proxy.example:443'],
        ['Origin', 'http://other.example'],
        ['Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAA=='],
        ['connection', 'close'],
        ['Upgrade', 'h2c'],
        ['Sec-WebSocket-Version', '7'],
        ['Sec-WebSocket-Protocol', 'evil'],
        ['Cookie', 'a=1'],
        ['Cookie', 'b=2'],
      ],
    });
    expect(request.headers).toEqual([
      ['host', 'proxy.example:443'],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Protocol', 'chat'],
      ['Origin', 'http://other.example'],
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
    ]);
  });

  it('turns numbers in a header record into strings (JavaScript callers)', () => {
    const request = rfcRequest({ headers: { 'X-Count': 3 } as unknown as Record<string, string> });
    expect(request.headers.at(-1)).toEqual(['X-Count', '3']);
  });

  it('throws InvalidArgumentError for invalid or duplicated subprotocols (local misuse)', () => {
    for (const protocols of [['chat', 'chat'], ['a b'], [''], ['x,y'], ['ü']]) {
      expect(() => rfcRequest({ protocols }), JSON.stringify(protocols)).toThrow(InvalidArgumentError);
    }
  });

  it('throws InvalidArgumentError for anything that would forge the request', () => {
    expect(() => rfcRequest({ path: '/a HTTP/1.1\r\nX: y' })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ path: '' })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ host: 'a\r\nX: y' })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ origin: 'http://o\nX: y' })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ headers: [['X-A', 'v\r\n']] })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ headers: [['X A', 'v']] })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ headers: [['X-A', '☃']] })).toThrow(InvalidArgumentError);
    expect(() => rfcRequest({ extensions: [fakeFactory('x'), fakeFactory('x')] })).toThrow(InvalidArgumentError);
  });
});

describe('validateServerResponse', () => {
  it('accepts the §1.3 sample response', () => {
    expect(validateServerResponse(rfcRequest(), { status: 101, headers: rfcResponse })).toEqual({
      protocol: 'chat',
      extensions: [],
      extensionsHeader: '',
    });
  });

  it('accepts any case, a Connection token list and a Node-style record', () => {
    const result = validateServerResponse(rfcRequest(), {
      status: 101,
      headers: {
        upgrade: 'WebSocket',
        connection: 'keep-alive, upgrade',
        'sec-websocket-accept': 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
        'sec-websocket-protocol': 'superchat',
      },
    });
    expect(result).toEqual({ protocol: 'superchat', extensions: [], extensionsHeader: '' });
  });

  it('reports a status other than 101 with that status', () => {
    for (const status of [200, 400, 401, 426, 500]) {
      const error = expectFailure(
        validateServerResponse(rfcRequest(), { status, headers: rfcResponse }),
        'WS_ERR_UNEXPECTED_STATUS',
        status,
      );
      expect(error.message).toBe(`Unexpected server response: ${status}`);
    }
  });

  const failures: Array<[string, HeaderPairs, HandshakeErrorCode]> = [
    ['no Upgrade', withHeader(rfcResponse, 'Upgrade', undefined), 'WS_ERR_INVALID_UPGRADE_HEADER'],
    ['Upgrade: h2c', withHeader(rfcResponse, 'Upgrade', 'h2c'), 'WS_ERR_INVALID_UPGRADE_HEADER'],
    ['no Connection', withHeader(rfcResponse, 'Connection', undefined), 'WS_ERR_INVALID_CONNECTION_HEADER'],
    ['Connection: close', withHeader(rfcResponse, 'Connection', 'close'), 'WS_ERR_INVALID_CONNECTION_HEADER'],
    ['no Accept', withHeader(rfcResponse, 'Sec-WebSocket-Accept', undefined), 'WS_ERR_INVALID_ACCEPT'],
    [
      'Accept for another key',
      withHeader(rfcResponse, 'Sec-WebSocket-Accept', computeAcceptKey('AAAAAAAAAAAAAAAAAAAAAA==')),
      'WS_ERR_INVALID_ACCEPT',
    ],
    ['Accept in another case', withHeader(rfcResponse, 'Sec-WebSocket-Accept', 'S3PPLMBITXAQ9KYGZZHZRBK+XOO='), 'WS_ERR_INVALID_ACCEPT'],
    ['Accept twice', [...rfcResponse, ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=']], 'WS_ERR_INVALID_ACCEPT'],
    ['a protocol not offered', withHeader(rfcResponse, 'Sec-WebSocket-Protocol', 'other'), 'WS_ERR_UNEXPECTED_PROTOCOL'],
    ['two protocols', withHeader(rfcResponse, 'Sec-WebSocket-Protocol', 'chat, superchat'), 'WS_ERR_UNEXPECTED_PROTOCOL'],
    // Like ws 8: offering subprotocols and getting none back fails ("Server sent no subprotocol").
    ['no protocol while some were offered', withHeader(rfcResponse, 'Sec-WebSocket-Protocol', undefined), 'WS_ERR_UNEXPECTED_PROTOCOL'],
    [
      'extensions while none were offered',
      [...rfcResponse, ['Sec-WebSocket-Extensions', 'permessage-deflate']],
      'WS_ERR_UNEXPECTED_EXTENSION',
    ],
  ];
  for (const [name, headers, code] of failures) {
    it(`fails on ${name}`, () => {
      expectFailure(validateServerResponse(rfcRequest(), { status: 101, headers }), code);
    });
  }

  it('fails on a protocol when none was offered', () => {
    const request = rfcRequest({ protocols: [] });
    expectFailure(validateServerResponse(request, { status: 101, headers: rfcResponse }), 'WS_ERR_UNEXPECTED_PROTOCOL');
    expect(
      validateServerResponse(request, { status: 101, headers: withHeader(rfcResponse, 'Sec-WebSocket-Protocol', undefined) }),
    ).toEqual({ protocol: '', extensions: [], extensionsHeader: '' });
  });

  describe('extensions', () => {
    const withExtensions = (value: string): HeaderPairs => [...rfcResponse, ['Sec-WebSocket-Extensions', value]];

    it('confirms each accepted extension with its factory, in response order', () => {
      const log: string[] = [];
      const a = fakeFactory('x-a', { rsvMask: 0x40, log });
      const b = fakeFactory('x-b', { rsvMask: 0x20, log });
      const result = validateServerResponse(rfcRequest({ extensions: [a, b] }), {
        status: 101,
        headers: withExtensions('x-b; level=1, x-a'),
      });
      if (result instanceof HandshakeError) throw result;
      expect(result.extensions.map((e) => e.name)).toEqual(['x-b', 'x-a']);
      expect(result.extensionsHeader).toBe('x-b; level=1, x-a');
    });

    it('accepts a server that accepts none of the offered extensions', () => {
      const result = validateServerResponse(rfcRequest({ extensions: [fakeFactory('x-a')] }), { status: 101, headers: rfcResponse });
      expect(result).toEqual({ protocol: 'chat', extensions: [], extensionsHeader: '' });
    });

    // The last element is what was confirmed (and so must be disposed) before the failure.
    const cases: Array<[string, string, HandshakeErrorCode, string[]]> = [
      ['an extension not offered', 'x-other', 'WS_ERR_UNEXPECTED_EXTENSION', ['dispose x-b']],
      ['the same extension twice', 'x-a, x-a', 'WS_ERR_UNEXPECTED_EXTENSION', ['dispose x-b', 'dispose x-a']],
      // Nothing is confirmed before the whole header parses.
      ['a malformed header', 'x-a; p="unterminated', 'WS_ERR_INVALID_EXTENSION_HEADER', []],
      ['a response the factory refuses', 'x-a; bad', 'WS_ERR_INVALID_EXTENSION_HEADER', ['dispose x-b']],
    ];
    for (const [name, value, code, disposed] of cases) {
      it(`fails on ${name}, disposing what it confirmed`, () => {
        const log: string[] = [];
        const a = fakeFactory('x-a', { rsvMask: 0x40, log });
        const b = fakeFactory('x-b', { rsvMask: 0x20, log });
        const error = expectFailure(
          validateServerResponse(rfcRequest({ extensions: [a, b] }), { status: 101, headers: withExtensions(`x-b, ${value}`) }),
          code,
        );
        if (name === 'a response the factory refuses') {
          // `ws`'s message; the factory's reason is the cause.
          expect(error.message).toBe('Invalid Sec-WebSocket-Extensions header');
          expect(error.cause).toContain('x-a cannot accept a bad parameter');
        }
        expect(log).toEqual(disposed);
      });
    }

    it('fails when two confirmed extensions claim the same RSV bit', () => {
      const log: string[] = [];
      const a = fakeFactory('x-a', { rsvMask: 0x40, log });
      const b = fakeFactory('x-b', { rsvMask: 0x40, log });
      expectFailure(
        validateServerResponse(rfcRequest({ extensions: [a, b] }), { status: 101, headers: withExtensions('x-a, x-b') }),
        'WS_ERR_UNEXPECTED_EXTENSION',
      );
      expect(log).toEqual(['dispose x-a', 'dispose x-b']);
    });
  });
});
