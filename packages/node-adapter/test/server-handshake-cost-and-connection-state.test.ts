/**
 * Issue 21 (server memory per idle connection, cheaper handshakes): the native SHA-1 the server
 * injects into the core gives RFC 6455's accept keys, the 101 is still exactly what `ws` writes,
 * and what each upgraded socket carries is counted: one listener per socket event, one shared
 * 'close' listener for `clients` tracking (no closure per connection), nothing left from the
 * handshake.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBSOCKET_GUID, computeAcceptKey, pureSha1Base64 } from '@sansock/core';
import { WebSocketServer, type WebSocket } from '@sansock/node';
import { nativeSha1Base64 } from '../src/accelerators.js';
import { closeServer, next, onBun, portOf, rawRequest, upgradeRequest } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function listen(options: ConstructorParameters<typeof WebSocketServer>[0] = { port: 0 }): Promise<{ server: WebSocketServer; port: number }> {
  const server = new WebSocketServer({ host: '127.0.0.1', ...options });
  cleanup.push(() => closeServer(server));
  await next(server, 'listening');
  return { server, port: portOf(server) };
}

describe('the accept key from node:crypto (nativeSha1Base64)', () => {
  it('gives RFC 6455 §1.3 example key', () => {
    expect(computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ==', nativeSha1Base64)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
  it('agrees with the core pure SHA-1 on random keys and any ASCII text (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (nonce) => {
        const key = Buffer.from(nonce).toString('base64');
        expect(computeAcceptKey(key, nativeSha1Base64)).toBe(computeAcceptKey(key, pureSha1Base64));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 200 }), (text) => {
        expect(nativeSha1Base64(text)).toBe(pureSha1Base64(text));
      }),
    );
  });
});

describe('the 101 over a real socket', () => {
  it('is what ws writes for the §1.3 request, with the chosen subprotocol and lines added in "headers"', async () => {
    const { server, port } = await listen({ port: 0, handleProtocols: (offered) => [...offered][1] });
    server.on('headers', (lines) => lines.push('X-Extra: yes'));
    const request = upgradeRequest('/chat', { Origin: 'http://example.com', 'Sec-WebSocket-Protocol': 'chat, superchat' });
    const { socket, head } = await rawRequest(port, request);
    cleanup.push(() => void socket.destroy());
    expect(head).toBe(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
        'Sec-WebSocket-Protocol: superchat\r\n' +
        'X-Extra: yes',
    );
  });

  it("'connection' gets the request even when a subclass's handleUpgrade calls back with the socket alone", async () => {
    class Wrapping extends WebSocketServer {
      override handleUpgrade(...[req, socket, head, callback]: Parameters<WebSocketServer['handleUpgrade']>): void {
        super.handleUpgrade(req, socket, head, (ws) => callback(ws, undefined as never));
      }
    }
    const server = new Wrapping({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => closeServer(server));
    await next(server, 'listening');
    const connected = next<[WebSocket, http.IncomingMessage]>(server, 'connection');
    const { socket } = await rawRequest(portOf(server), upgradeRequest('/wrapped'));
    cleanup.push(() => void socket.destroy());
    const [, req] = await connected;
    expect(req.url).toBe('/wrapped');
  });

  it('accepts random keys and answers each with base64(SHA-1(key + GUID))', async () => {
    const { port } = await listen();
    for (let i = 0; i < 5; i++) {
      const key = randomBytes(16).toString('base64');
      const { socket, head } = await rawRequest(port, upgradeRequest('/', { 'Sec-WebSocket-Key': key }));
      socket.destroy();
      const expected = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
      expect(head).toContain(`\r\nSec-WebSocket-Accept: ${expected}`);
    }
  });

  // Bun's HTTP server answers 431 itself to a request over maxHeadersCount: no upgrade to read.
  it.skipIf(onBun)('reads only the header fields Node kept (server.maxHeadersCount), like ws', async () => {
    const httpServer = http.createServer();
    httpServer.maxHeadersCount = 4;
    const server = new WebSocketServer({ server: httpServer });
    cleanup.push(() => closeServer(server));
    cleanup.push(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));
    httpServer.listen(0, '127.0.0.1');
    await once(httpServer, 'listening');
    // The key is the fifth field: Node drops it from req.headers, so the request has none.
    const { socket, head } = await rawRequest(portOf(httpServer), upgradeRequest('/'));
    socket.destroy();
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  });
});

type CountedSocket = Duplex & { _httpMessage?: unknown; parser?: unknown };

/** The socket listeners the server and its binding add (socket-binding.ts, server.ts). */
const OUR_LISTENERS = new Set(['onSocketData', 'onSocketEnd', 'onSocketClose', 'onSocketError', 'onHandshakeSocketError']);

describe('what each upgraded socket carries', () => {
  it('one listener per socket event, one shared clients-tracking listener, nothing left of the handshake', async () => {
    const { server, port } = await listen();
    const connections = 12;
    const opened: WebSocket[] = [];
    server.on('connection', (ws) => opened.push(ws));
    const clients = await Promise.all(Array.from({ length: connections }, () => rawRequest(port, upgradeRequest('/'))));
    for (const client of clients) cleanup.push(() => void client.socket.destroy());
    while (opened.length < connections) await next(server, 'connection');

    const ours = (socket: Duplex, event: string): string[] =>
      socket.listeners(event).map((listener) => (listener as { name: string }).name).filter((name) => OUR_LISTENERS.has(name));
    for (const ws of opened) {
      const socket = (ws as unknown as { _socket: CountedSocket })._socket;
      // One shared function of ours per event; the handshake's error listener is gone.
      expect(ours(socket, 'data')).toEqual(['onSocketData']);
      expect(ours(socket, 'end')).toEqual(['onSocketEnd']);
      expect(ours(socket, 'close')).toEqual(['onSocketClose']);
      expect(ours(socket, 'error')).toEqual(['onSocketError']);
      // Bun's net.Socket keeps listeners of its own; on Node only its 'end' handler is beside ours.
      if (!onBun) {
        expect(Object.fromEntries(socket.eventNames().map((name) => [name, socket.listenerCount(name)]))).toEqual({
          end: 2,
          data: 1,
          close: 1,
          error: 1,
        });
        // Node released the request's parser and holds no response for the upgraded socket.
        expect(socket.parser ?? null).toBeNull();
        expect(socket._httpMessage ?? null).toBeNull();
      }
      expect(ws.listenerCount('close')).toBe(1);
    }
    // The tracking listener is one function for every connection, not a closure each.
    expect(new Set(opened.map((ws) => ws.listeners('close')[0])).size).toBe(1);
    // The server's own listeners do not grow with connections.
    const httpServer = server._server!;
    expect(httpServer.listenerCount('upgrade')).toBe(1);
    expect(server.clients.size).toBe(connections);

    // The shared listener still untracks each socket as it closes.
    const closed = opened.slice(0, 5);
    await Promise.all(closed.map((ws) => {
      const done = next(ws, 'close');
      ws.terminate();
      return done;
    }));
    expect(server.clients.size).toBe(connections - closed.length);
    for (const ws of closed) expect(server.clients.has(ws)).toBe(false);
  });
});
