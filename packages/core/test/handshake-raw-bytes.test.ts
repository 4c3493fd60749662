import { describe, expect, it } from 'vitest';
import {
  ClientHandshake,
  Connection,
  HandshakeError,
  InvalidArgumentError,
  InvalidStateError,
  ServerHandshake,
  type ValidatedRequest,
} from '../src/index.js';
import { fakeFactory } from './handshake-fakes.js';
import { concat } from './helpers.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function receiveWhole(server: ServerHandshake, bytes: Uint8Array) {
  const result = server.receiveData(bytes);
  if (result === null || result instanceof HandshakeError) throw new Error(`expected a request, got ${String(result)}`);
  return result;
}

describe('ClientHandshake ↔ ServerHandshake over raw bytes', () => {
  it('agrees on subprotocol and extensions, fed one byte at a time both ways', () => {
    const clientLog: string[] = [];
    const serverLog: string[] = [];
    const client = new ClientHandshake({
      host: 'example.com:8080',
      path: '/chat?room=1',
      protocols: ['chat', 'superchat'],
      origin: 'http://example.com',
      extensions: [
        fakeFactory('x-first', { rsvMask: 0x40, log: clientLog, offers: [{ name: 'x-first', params: [['level', '3']] }] }),
        fakeFactory('x-second', { rsvMask: 0x20, log: clientLog }),
      ],
    });
    const server = new ServerHandshake({
      extensions: [
        fakeFactory('x-second', { rsvMask: 0x20, log: serverLog }),
        fakeFactory('x-first', { rsvMask: 0x40, log: serverLog }),
      ],
    });

    let request: ValidatedRequest | undefined;
    for (const byte of client.bytes) {
      const result = server.receiveData(Uint8Array.of(byte));
      if (result instanceof HandshakeError) throw result;
      if (result !== null) request = result.request;
    }
    expect(request).toMatchObject({
      key: client.request.key,
      version: 13,
      protocols: ['chat', 'superchat'],
      origin: 'http://example.com',
      target: '/chat?room=1',
      extensionOffers: [
        { name: 'x-first', params: [['level', '3']] },
        { name: 'x-second', params: [] },
      ],
    });

    const accepted = server.accept({ protocol: 'superchat', headers: [['Set-Cookie', 'id=1']] });
    if (accepted instanceof HandshakeError) throw accepted;
    expect(accepted.protocol).toBe('superchat');
    // The server's factory order decides the response order.
    expect(accepted.extensionsHeader).toBe('x-second, x-first; level=3');
    expect(accepted.extensions.map((e) => e.name)).toEqual(['x-second', 'x-first']);
    expect(serverLog).toEqual(['accept x-second', 'accept x-first']);

    let outcome: ReturnType<ClientHandshake['receiveData']> = null;
    for (const byte of accepted.response) {
      expect(outcome).toBeNull();
      outcome = client.receiveData(Uint8Array.of(byte));
    }
    if (outcome === null || outcome instanceof HandshakeError) throw new Error(`client failed: ${String(outcome)}`);
    expect(outcome.accepted.protocol).toBe('superchat');
    expect(outcome.accepted.extensionsHeader).toBe('x-second, x-first; level=3');
    expect(outcome.accepted.extensions.map((e) => [e.name, e.rsvMask])).toEqual([
      ['x-second', 0x20],
      ['x-first', 0x40],
    ]);
    expect(outcome.response.status).toBe(101);
    expect(outcome.response.headers).toContainEqual(['Set-Cookie', 'id=1']);
    expect(outcome.rest.length).toBe(0);
    expect(clientLog).toEqual([]); // nothing disposed
  });

  it('keeps frames that arrive in the same chunk as the head, on both sides, and they decode', () => {
    const client = new ClientHandshake({ host: 'h', path: '/' });
    const clientConnection = new Connection({ role: 'client' });
    clientConnection.send('hello server');

    const server = new ServerHandshake();
    const got = receiveWhole(server, concat(client.bytes, ...clientConnection.takeOutput()));
    expect(got.rest.length).toBeGreaterThan(0);
    const serverConnection = new Connection({ role: 'server' });
    serverConnection.receiveData(got.rest);
    const atServer = serverConnection.nextEvent();
    expect(atServer).toMatchObject({ type: 'message', binary: false });
    expect(new TextDecoder().decode((atServer as { data: Uint8Array }).data)).toBe('hello server');

    const accepted = server.accept();
    if (accepted instanceof HandshakeError) throw accepted;
    serverConnection.send('hello client');
    const outcome = client.receiveData(concat(accepted.response, ...serverConnection.takeOutput()));
    if (outcome === null || outcome instanceof HandshakeError) throw new Error('client failed');
    clientConnection.receiveData(outcome.rest);
    const atClient = clientConnection.nextEvent();
    expect(new TextDecoder().decode((atClient as { data: Uint8Array }).data)).toBe('hello client');
  });

  it('a server rejection reaches the client as WS_ERR_UNEXPECTED_STATUS with the status', () => {
    const client = new ClientHandshake({ host: 'h', path: '/', protocolVersion: 8 });
    const server = new ServerHandshake({ protocolVersions: [13] });
    const error = server.receiveData(client.bytes);
    expect(error).toBeInstanceOf(HandshakeError);
    const rejection = error as HandshakeError;
    expect([rejection.status, rejection.code]).toEqual([426, 'WS_ERR_UNSUPPORTED_VERSION']);
    const bytes = server.reject(rejection.status!, { headers: rejection.headers });
    expect(text(bytes)).toContain('\r\nSec-WebSocket-Version: 13\r\n');
    const outcome = client.receiveData(bytes);
    expect(outcome).toBeInstanceOf(HandshakeError);
    expect([(outcome as HandshakeError).status, (outcome as HandshakeError).code]).toEqual([426, 'WS_ERR_UNEXPECTED_STATUS']);
  });

  it('a server answer with a wrong accept key fails the client', () => {
    const client = new ClientHandshake({ host: 'h', path: '/' });
    const forged =
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n';
    const outcome = client.receiveData(latin1(forged));
    expect((outcome as HandshakeError).code).toBe('WS_ERR_INVALID_ACCEPT');
  });

  it('rejects malformed or oversized heads with the status to answer', () => {
    const malformed = new ServerHandshake().receiveData(latin1('GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n'));
    expect([(malformed as HandshakeError).status, (malformed as HandshakeError).code]).toEqual([400, 'WS_ERR_MALFORMED_HTTP']);
    const server = new ServerHandshake({ maxHeadSize: 64 });
    const big = server.receiveData(latin1(`GET / HTTP/1.1\r\nX-Pad: ${'a'.repeat(100)}`));
    expect([(big as HandshakeError).status, (big as HandshakeError).code]).toEqual([431, 'WS_ERR_HEAD_TOO_LARGE']);
    const post = new ServerHandshake().receiveData(latin1('POST / HTTP/1.1\r\n\r\n'));
    expect([(post as HandshakeError).status, (post as HandshakeError).code]).toEqual([405, 'WS_ERR_INVALID_METHOD']);
    const client = new ClientHandshake({ host: 'h', path: '/', maxHeaderCount: 2 });
    const many = client.receiveData(latin1('HTTP/1.1 101 x\r\na: 1\r\nb: 2\r\nc: 3\r\n\r\n'));
    expect([(many as HandshakeError).status, (many as HandshakeError).code]).toEqual([431, 'WS_ERR_TOO_MANY_HEADERS']);
  });

  it('latches failures, and refuses more data once the handshake is complete', () => {
    const server = new ServerHandshake();
    const failure = server.receiveData(latin1('GET / HTTP/1.0\r\n\r\n'));
    expect((failure as HandshakeError).code).toBe('WS_ERR_INVALID_HTTP_VERSION');
    expect(server.receiveData(latin1('more'))).toBe(failure);

    const client = new ClientHandshake({ host: 'h', path: '/' });
    const status = client.receiveData(latin1('HTTP/1.1 404 Not Found\r\n\r\n'));
    expect((status as HandshakeError).code).toBe('WS_ERR_UNEXPECTED_STATUS');
    expect(client.receiveData(latin1('more'))).toBe(status);

    const okServer = new ServerHandshake();
    const okClient = new ClientHandshake({ host: 'h', path: '/' });
    receiveWhole(okServer, okClient.bytes);
    expect(() => okServer.receiveData(latin1('x'))).toThrow(InvalidStateError);
    const accepted = okServer.accept();
    if (accepted instanceof HandshakeError) throw accepted;
    expect(okClient.receiveData(accepted.response)).not.toBeInstanceOf(HandshakeError);
    expect(() => okClient.receiveData(latin1('x'))).toThrow(InvalidStateError);
  });

  it('reject() writes a ws-style rejection', () => {
    expect(text(new ServerHandshake().reject(403, { message: 'go away' }))).toBe(
      'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 7\r\n\r\ngo away',
    );
  });

  it('accept() is local API: before a request, twice, or with a protocol not offered, it throws', () => {
    const server = new ServerHandshake();
    expect(() => server.accept()).toThrow(InvalidStateError);
    const client = new ClientHandshake({ host: 'h', path: '/', protocols: ['a'] });
    receiveWhole(server, client.bytes);
    expect(() => server.accept({ protocol: 'b' })).toThrow(InvalidArgumentError);
    const accepted = server.accept({ protocol: 'a' });
    expect(accepted).not.toBeInstanceOf(HandshakeError);
    expect(() => server.accept({ protocol: 'a' })).toThrow(InvalidStateError);
  });

  it('accept() without a protocol while some were offered gives a response the client fails (like ws)', () => {
    const server = new ServerHandshake();
    const client = new ClientHandshake({ host: 'h', path: '/', protocols: ['a'] });
    receiveWhole(server, client.bytes);
    const accepted = server.accept();
    if (accepted instanceof HandshakeError) throw accepted;
    expect((client.receiveData(accepted.response) as HandshakeError).code).toBe('WS_ERR_UNEXPECTED_PROTOCOL');
  });

  it('accept() reports a factory that throws on the offer as a 400', () => {
    const server = new ServerHandshake({ extensions: [fakeFactory('x-a', { throwOnAccept: true })] });
    const client = new ClientHandshake({ host: 'h', path: '/', extensions: [fakeFactory('x-a')] });
    receiveWhole(server, client.bytes);
    const accepted = server.accept();
    expect([(accepted as HandshakeError).status, (accepted as HandshakeError).code]).toEqual([400, 'WS_ERR_INVALID_EXTENSION_HEADER']);
  });
});
