/**
 * RFC 8441 (WebSockets over HTTP/2) handshake functions: the server's checks of an extended
 * CONNECT (§4–5), its 2xx fields, the client's request fields and its checks of the answer.
 */
import { describe, expect, it } from 'vitest';
import {
  type ExtendedConnectRequest,
  HandshakeError,
  InvalidArgumentError,
  createExtendedConnectAcceptHeaders,
  createExtendedConnectRequest,
  negotiateExtensions,
  validateExtendedConnect,
  validateExtendedConnectResponse,
} from '../src/index.js';
import { fakeFactory } from './handshake-fakes.js';

/** RFC 8441 §5's example request, as an HTTP/2 stack hands it over. */
function connect(overrides: Partial<ExtendedConnectRequest> = {}): ExtendedConnectRequest {
  return {
    method: 'CONNECT',
    protocol: 'websocket',
    scheme: 'https',
    path: '/chat',
    authority: 'server.example.com',
    headers: [
      ['sec-websocket-protocol', 'chat, superchat'],
      ['sec-websocket-extensions', 'permessage-deflate'],
      ['sec-websocket-version', '13'],
      ['origin', 'http://www.example.com'],
    ],
    ...overrides,
  };
}

function codeOf(result: unknown): [string, number | undefined] {
  expect(result).toBeInstanceOf(HandshakeError);
  const error = result as HandshakeError;
  return [error.code, error.status];
}

describe('validateExtendedConnect (server, RFC 8441 §4–5)', () => {
  it('accepts §5\'s example: no key, offers and origin read as in RFC 6455', () => {
    const factory = fakeFactory('permessage-deflate');
    const validated = validateExtendedConnect(connect(), { extensions: [factory] });
    if (validated instanceof HandshakeError) throw validated;
    expect(validated.version).toBe(13);
    expect(validated.protocols).toEqual(['chat', 'superchat']);
    expect(validated.extensionOffers.map((offer) => offer.name)).toEqual(['permessage-deflate']);
    expect(validated.origin).toBe('http://www.example.com');
    expect(validated.target).toBe('/chat');
    expect(validated.authority).toBe('server.example.com');
  });

  it('refuses another method (405), another or no :protocol, and a missing :scheme or :path (400)', () => {
    expect(codeOf(validateExtendedConnect(connect({ method: 'GET' })))).toEqual(['WS_ERR_INVALID_METHOD', 405]);
    expect(codeOf(validateExtendedConnect(connect({ protocol: 'webtransport' })))).toEqual(['WS_ERR_INVALID_CONNECT_PROTOCOL', 400]);
    // A plain CONNECT (a proxy tunnel) is not a WebSocket.
    expect(codeOf(validateExtendedConnect(connect({ protocol: undefined })))).toEqual(['WS_ERR_INVALID_CONNECT_PROTOCOL', 400]);
    expect(codeOf(validateExtendedConnect(connect({ scheme: undefined })))).toEqual(['WS_ERR_MALFORMED_HTTP', 400]);
    expect(codeOf(validateExtendedConnect(connect({ path: '' })))).toEqual(['WS_ERR_MALFORMED_HTTP', 400]);
  });

  it('answers an unknown version with 426 and the versions it speaks; bad subprotocol lists with 400', () => {
    const result = validateExtendedConnect(connect({ headers: [['sec-websocket-version', '12']] }));
    expect(codeOf(result)).toEqual(['WS_ERR_UNSUPPORTED_VERSION', 426]);
    expect((result as HandshakeError).headers).toEqual([['Sec-WebSocket-Version', '13, 8']]);
    const duplicated = connect({ headers: [['sec-websocket-version', '13'], ['sec-websocket-protocol', 'chat, chat']] });
    expect(codeOf(validateExtendedConnect(duplicated))).toEqual(['WS_ERR_INVALID_PROTOCOL_HEADER', 400]);
  });

  it('builds the 2xx fields in lower case, with the chosen subprotocol and extensions', () => {
    const validated = validateExtendedConnect(connect(), { extensions: [fakeFactory('permessage-deflate')] });
    if (validated instanceof HandshakeError) throw validated;
    const negotiated = negotiateExtensions(validated.extensionOffers, [fakeFactory('permessage-deflate')]);
    if (negotiated instanceof HandshakeError) throw negotiated;
    expect(createExtendedConnectAcceptHeaders({ protocol: 'chat', extensionsHeader: negotiated.header, headers: [['Set-Cookie', 'a=b']] })).toEqual([
      ['sec-websocket-protocol', 'chat'],
      ['sec-websocket-extensions', 'permessage-deflate'],
      ['set-cookie', 'a=b'],
    ]);
    expect(createExtendedConnectAcceptHeaders({})).toEqual([]);
    expect(() => createExtendedConnectAcceptHeaders({ protocol: 'not a token' })).toThrow(InvalidArgumentError);
  });
});

describe('createExtendedConnectRequest / validateExtendedConnectResponse (client)', () => {
  it('drops what HTTP/2 forbids or RFC 8441 replaces, and moves Host to :authority', () => {
    const request = createExtendedConnectRequest({
      host: 'server.example.com:8443',
      path: '/chat?x=1',
      protocols: ['chat'],
      extensions: [fakeFactory('permessage-deflate')],
      origin: 'http://www.example.com',
      headers: [['Authorization', 'Bearer t'], ['Connection', 'close'], ['Keep-Alive', '5']],
    });
    expect(request.authority).toBe('server.example.com:8443');
    expect(request.path).toBe('/chat?x=1');
    expect(request.headers).toEqual([
      ['sec-websocket-version', '13'],
      ['sec-websocket-protocol', 'chat'],
      ['sec-websocket-extensions', 'permessage-deflate'],
      ['origin', 'http://www.example.com'],
      ['authorization', 'Bearer t'],
    ]);
    expect(() => createExtendedConnectRequest({ host: 'h', path: '/', protocols: ['a', 'a'] })).toThrow(InvalidArgumentError);
  });

  it('accepts a 2xx with an offered subprotocol and extension; refuses other statuses and unoffered ones', () => {
    const request = createExtendedConnectRequest({ host: 'h', path: '/', protocols: ['chat'], extensions: [fakeFactory('permessage-deflate')] });
    const accepted = validateExtendedConnectResponse(request, {
      status: 200,
      headers: [['sec-websocket-protocol', 'chat'], ['sec-websocket-extensions', 'permessage-deflate']],
    });
    if (accepted instanceof HandshakeError) throw accepted;
    expect(accepted.protocol).toBe('chat');
    expect(accepted.extensions.map((extension) => extension.name)).toEqual(['permessage-deflate']);
    expect(codeOf(validateExtendedConnectResponse(request, { status: 101, headers: [] }))).toEqual(['WS_ERR_UNEXPECTED_STATUS', 101]);
    expect(codeOf(validateExtendedConnectResponse(request, { status: 404, headers: [] }))).toEqual(['WS_ERR_UNEXPECTED_STATUS', 404]);
    expect(codeOf(validateExtendedConnectResponse(request, { status: 200, headers: [['sec-websocket-protocol', 'other']] }))).toEqual([
      'WS_ERR_UNEXPECTED_PROTOCOL',
      200,
    ]);
    const plain = createExtendedConnectRequest({ host: 'h', path: '/' });
    expect(codeOf(validateExtendedConnectResponse(plain, { status: 200, headers: [['sec-websocket-extensions', 'x']] }))).toEqual([
      'WS_ERR_UNEXPECTED_EXTENSION',
      200,
    ]);
  });
});
