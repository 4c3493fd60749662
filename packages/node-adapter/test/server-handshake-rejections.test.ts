/**
 * What a raw TCP client sees from WebSocketServer for bad or refused upgrade requests: the
 * HTTP status and headers (built by the core), and the socket closed; and what an accepted
 * request gets (subprotocol selection, extra 'headers').
 */
import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type ServerOptions, type VerifyClientInfo, type WebSocket } from '@sansock/node';
import { closeServer, next, portOf, rawRequest, upgradeRequest } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function listen(options: Partial<ServerOptions> = {}): Promise<{ server: WebSocketServer; port: number }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  cleanup.push(() => closeServer(server));
  await next(server, 'listening');
  return { server, port: portOf(server) };
}

/** Sends `request`, returns the status line, header lines and body, and waits for the server to close the socket. */
async function rejectedWith(port: number, request: string): Promise<{ status: string; headers: string[]; body: string }> {
  const { socket, head, rest } = await rawRequest(port, request);
  const chunks: Buffer[] = [rest];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  const [status = '', ...headers] = head.split('\r\n');
  return { status, headers, body: Buffer.concat(chunks).toString() };
}

describe('WebSocketServer handshake rejections', () => {
  it('answers an unsupported version with 400 and the versions it speaks (as ws, and RFC 6455 §4.4\'s example)', async () => {
    const { port } = await listen();
    const reply = await rejectedWith(port, upgradeRequest('/', { 'Sec-WebSocket-Version': '7' }));
    expect(reply.status).toBe('HTTP/1.1 400 Bad Request');
    expect(reply.headers).toContain('Sec-WebSocket-Version: 13, 8');
  });

  it('answers a malformed Sec-WebSocket-Key with 400', async () => {
    const { port } = await listen();
    const reply = await rejectedWith(port, upgradeRequest('/', { 'Sec-WebSocket-Key': 'too-short' }));
    expect(reply.status).toBe('HTTP/1.1 400 Bad Request');
    expect(reply.body).toBe('Missing or invalid Sec-WebSocket-Key header');
  });

  it('answers a missing key with 400', async () => {
    const { port } = await listen();
    const reply = await rejectedWith(port, upgradeRequest('/', { 'Sec-WebSocket-Key': null }));
    expect(reply.status).toBe('HTTP/1.1 400 Bad Request');
  });

  it('answers 400 when the path does not match the path option', async () => {
    const { port, server } = await listen({ path: '/chat' });
    let connections = 0;
    server.on('connection', () => connections++);
    const reply = await rejectedWith(port, upgradeRequest('/other'));
    expect(reply.status).toBe('HTTP/1.1 400 Bad Request');
    const { head, socket } = await rawRequest(port, upgradeRequest('/chat?room=1'));
    socket.destroy();
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(connections).toBe(1);
  });

  it('answers 401 when a synchronous verifyClient refuses, with origin and secure in its info', async () => {
    const seen: Array<{ origin: string | undefined; secure: boolean; url: string | undefined }> = [];
    const { port } = await listen({
      verifyClient: (info: VerifyClientInfo) => {
        seen.push({ origin: info.origin, secure: info.secure, url: info.req.url });
        return false;
      },
    });
    const reply = await rejectedWith(port, upgradeRequest('/v', { Origin: 'https://example.com' }));
    expect(reply.status).toBe('HTTP/1.1 401 Unauthorized');
    expect(seen).toEqual([{ origin: 'https://example.com', secure: false, url: '/v' }]);
  });

  it('uses the code, message and headers an async verifyClient gives', async () => {
    const { port } = await listen({
      verifyClient: (_info, done) => {
        setTimeout(() => done(false, 403, 'Go away', { 'X-Reason': 'test' }), 5);
      },
    });
    const reply = await rejectedWith(port, upgradeRequest());
    expect(reply.status).toBe('HTTP/1.1 403 Forbidden');
    expect(reply.headers).toContain('X-Reason: test');
    expect(reply.body).toBe('Go away');
  });

  it('accepts when an async verifyClient says yes', async () => {
    const { port, server } = await listen({ verifyClient: (_info, done) => setImmediate(() => done(true)) });
    const connected = next(server, 'connection');
    const { head, socket } = await rawRequest(port, upgradeRequest());
    cleanup.push(() => {
      socket.destroy();
    });
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    await connected;
  });

  it('lets handleProtocols choose among the offered subprotocols', async () => {
    let offered: string[] = [];
    const { port, server } = await listen({
      handleProtocols: (protocols: Set<string>, _req: IncomingMessage) => {
        offered = [...protocols];
        return 'chat.v2';
      },
    });
    const connected = next<[WebSocket]>(server, 'connection');
    const { head, socket } = await rawRequest(port, upgradeRequest('/', { 'Sec-WebSocket-Protocol': 'chat.v1, chat.v2' }));
    cleanup.push(() => {
      socket.destroy();
    });
    expect(offered).toEqual(['chat.v1', 'chat.v2']);
    expect(head).toContain('Sec-WebSocket-Protocol: chat.v2');
    const [ws] = await connected;
    expect(ws.protocol).toBe('chat.v2');
  });

  it('picks the first offered subprotocol without handleProtocols, and lets "headers" add lines', async () => {
    const { port, server } = await listen();
    server.on('headers', (headers) => headers.push('Set-Cookie: session=1'));
    const { head, socket } = await rawRequest(port, upgradeRequest('/', { 'Sec-WebSocket-Protocol': 'a, b' }));
    cleanup.push(() => {
      socket.destroy();
    });
    expect(head).toContain('Sec-WebSocket-Protocol: a');
    expect(head).toContain('Set-Cookie: session=1');
  });

  it('hands bad requests to wsClientError listeners instead of answering', async () => {
    const { port, server } = await listen();
    const reported = next<[Error & { code?: string }, NodeJS.WritableStream & { destroy(): void }, IncomingMessage]>(server, 'wsClientError');
    const request = rawRequest(port, upgradeRequest('/', { 'Sec-WebSocket-Key': 'bad' }));
    const [error, clientSocket, req] = await reported;
    expect(error.code).toBe('WS_ERR_INVALID_KEY');
    expect(req.url).toBe('/');
    clientSocket.end('HTTP/1.1 418 I am a teapot\r\n\r\n');
    const { head, socket } = await request;
    socket.destroy();
    expect(head).toBe('HTTP/1.1 418 I am a teapot');
  });

  it('tells a wsClientError listener the status it would have sent: 400 for a wrong version, as ws answers', async () => {
    const { port, server } = await listen();
    const reported = next<[Error & { code?: string; status?: number }, NodeJS.WritableStream & { destroy(): void }]>(server, 'wsClientError');
    const request = rawRequest(port, upgradeRequest('/', { 'Sec-WebSocket-Version': '12' }));
    const [error, clientSocket] = await reported;
    expect(error).toMatchObject({ code: 'WS_ERR_UNSUPPORTED_VERSION', status: 400 });
    clientSocket.end('HTTP/1.1 418 I am a teapot\r\n\r\n');
    const { socket } = await request;
    socket.destroy();
  });

  it('answers plain HTTP requests to its own server with 426', async () => {
    const { port } = await listen();
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(426);
    expect(await response.text()).toBe('Upgrade Required');
  });
});
