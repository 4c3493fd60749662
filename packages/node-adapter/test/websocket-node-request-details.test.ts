/**
 * WebSocketRequest details over raw sockets, where a client library would hide them: the fields
 * read from the handshake (X-Forwarded-For, extensions, cookies, query, version 8 origin), the
 * rejections of a bad handshake, accept/reject only once, accepting after the client left,
 * frames that came with the handshake, and a protocol error's close code and description.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type IServerConfig, type WebSocketConnection, type WebSocketRequest, frame as Frame, server as OurServer } from '@sansock/node/websocket-node';
import { next, rawRequest, upgradeRequest } from './helpers.js';
import { Cleanup, startHttpServer } from './websocket-node-helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function ourServer(config: Partial<IServerConfig> = {}) {
  const http = await startHttpServer();
  const server = new OurServer({ httpServer: http.server, keepalive: false, ...config });
  cleanup.add(() => http.close());
  cleanup.add(() => server.shutDown());
  return { http, server };
}

async function raw(port: number, request: string): Promise<{ socket: net.Socket; head: string; rest: Buffer }> {
  const result = await rawRequest(port, request);
  cleanup.add(() => result.socket.destroy());
  return result;
}

/** A masked client frame, made with the frame class. */
function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const frame = new Frame();
  frame.opcode = opcode;
  frame.fin = fin;
  frame.mask = true;
  frame.binaryPayload = payload;
  return frame.toBuffer();
}

describe('WebSocketRequest', () => {
  it('reads addresses, protocols, extensions, cookies, query and the version 8 origin', async () => {
    const { http, server } = await ourServer();
    const seen = next<[WebSocketRequest]>(server, 'request');
    const { head } = await (async () => {
      const pending = raw(
        http.port,
        upgradeRequest('/path/x?room=5&who=me', {
          'Sec-WebSocket-Version': '8',
          'Sec-WebSocket-Origin': 'http://eight.test',
          'Sec-WebSocket-Protocol': 'Chat, Other',
          'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits, x-foo; a=1',
          Cookie: 'a=1; b="two"',
          'X-Forwarded-For': '10.0.0.1, 10.0.0.2',
        }),
      );
      const [request] = await seen;
      expect(request.webSocketVersion).toBe(8);
      expect(request.origin).toBe('http://eight.test');
      expect(request.requestedProtocols).toEqual(['chat', 'other']);
      expect(request.requestedExtensions).toEqual([
        { name: 'permessage-deflate', params: [{ name: 'client_max_window_bits', value: undefined }] },
        { name: 'x-foo', params: [{ name: 'a', value: '1' }] },
      ]);
      expect(request.cookies).toEqual([
        { name: 'a', value: '1' },
        { name: 'b', value: 'two' },
      ]);
      expect(request.resource).toBe('/path/x?room=5&who=me');
      expect(request.resourceURL.pathname).toBe('/path/x');
      // Entries only: Bun's parsed query also carries an own Symbol.toStringTag.
      expect(Object.fromEntries(Object.entries(request.resourceURL.query))).toEqual({ room: '5', who: 'me' });
      expect(request.remoteAddress).toBe('10.0.0.1');
      expect(request.remoteAddresses).toEqual(['10.0.0.1', '10.0.0.2', '127.0.0.1']);
      const connection = request.accept('chat', request.origin);
      expect(connection.remoteAddress).toBe('10.0.0.1');
      expect(() => request.accept('chat')).toThrow('WebSocketRequest may only be accepted or rejected one time.');
      expect(() => request.reject()).toThrow('one time');
      return pending;
    })();
    // The protocol keeps the client's spelling; a version 8 origin is echoed as Sec-WebSocket-Origin.
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    expect(head).toContain('Sec-WebSocket-Protocol: Chat');
    expect(head).toContain('Sec-WebSocket-Origin: http://eight.test');
    expect(head).not.toMatch(/Sec-WebSocket-Extensions/i);
  });

  it('ignoreXForwardedFor keeps the socket address', async () => {
    const { http, server } = await ourServer({ ignoreXForwardedFor: true });
    const seen = next<[WebSocketRequest]>(server, 'request');
    void raw(http.port, upgradeRequest('/', { 'X-Forwarded-For': '10.9.9.9' }));
    const [request] = await seen;
    expect(request.remoteAddress).toBe('127.0.0.1');
    request.reject(418);
  });

  it('a bad handshake is rejected before any request event: 426 with the version, 400 without a key', async () => {
    const { http, server } = await ourServer();
    server.on('request', () => {
      throw new Error('no request event expected');
    });
    const errors: Error[] = [];
    server.on('upgradeError', (error) => errors.push(error));
    const version = await raw(http.port, upgradeRequest('/', { 'Sec-WebSocket-Version': '99' }));
    expect(version.head).toMatch(/^HTTP\/1\.1 426 /);
    expect(version.head).toContain('Sec-WebSocket-Version: 13');
    const key = await raw(http.port, upgradeRequest('/', { 'Sec-WebSocket-Key': null }));
    expect(key.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(key.head).toContain('X-WebSocket-Reject-Reason:');
    expect(errors).toHaveLength(2);
  });

  it('reject() defaults to 403; accepting after the client left gives a connection that closes with 1006', async () => {
    const { http, server } = await ourServer();
    const requests: WebSocketRequest[] = [];
    server.on('request', (request) => requests.push(request));
    const first = await (async () => {
      const pending = raw(http.port, upgradeRequest('/'));
      await expect.poll(() => requests.length).toBe(1);
      requests[0]!.reject();
      return pending;
    })();
    expect(first.head).toMatch(/^HTTP\/1\.1 403 Forbidden/);

    // The client sends its request and goes away before the application decides.
    const { connect } = await import('node:net');
    const socket = connect(http.port, '127.0.0.1');
    socket.on('error', () => {});
    await next(socket, 'connect');
    socket.write(upgradeRequest('/'));
    await expect.poll(() => requests.length).toBe(2);
    const pending = requests[1]!;
    const gone = next(socket, 'close');
    socket.destroy();
    await gone;
    const connection = pending.accept();
    expect(server.pendingRequests).not.toContain(pending);
    const [code] = await next<[number, string]>(connection, 'close');
    expect(code).toBe(1006);
  });

  it('shutDown() rejects the requests still pending with 503', async () => {
    const { http, server } = await ourServer();
    const seen = next<[WebSocketRequest]>(server, 'request');
    const response = raw(http.port, upgradeRequest('/'));
    await seen;
    expect(server.pendingRequests).toHaveLength(1);
    server.shutDown();
    expect((await response).head).toMatch(/^HTTP\/1\.1 503 /);
  });

  it('frames sent with the handshake reach the connection; an unmasked frame closes it with 1002', async () => {
    const { http, server } = await ourServer({ autoAcceptConnections: true });
    // Listeners attached in 'connect', as applications do: the early frame is delivered just after.
    const accepted = new Promise<[WebSocketConnection, Promise<[{ utf8Data: string }]>]>((resolve) =>
      server.once('connect', (connection) => resolve([connection, next<[{ utf8Data: string }]>(connection, 'message')])),
    );
    const { connect } = await import('node:net');
    const socket = connect(http.port, '127.0.0.1');
    socket.on('error', () => {});
    cleanup.add(() => socket.destroy());
    await next(socket, 'connect');
    // The request and a first message in one write: the message is in the upgrade's `head`.
    socket.write(Buffer.concat([Buffer.from(upgradeRequest('/')), clientFrame(1, Buffer.from('early'))]));
    const [connection, firstMessage] = await accepted;
    const [message] = await firstMessage;
    expect(message.utf8Data).toBe('early');

    // The server sends its close frame and ends TCP; a well-behaved peer ends its side too.
    socket.on('end', () => socket.end());
    socket.resume();
    const closed = next<[number, string]>(connection, 'close');
    const unmasked = new Frame();
    unmasked.opcode = 2;
    unmasked.fin = true;
    unmasked.binaryPayload = Buffer.from('no mask');
    socket.write(unmasked.toBuffer());
    const [code, description] = await closed;
    expect(code).toBe(1002);
    expect(description).toMatch(/mask/i);
    expect(connection.closeReasonCode).toBe(1002);
  });
});
