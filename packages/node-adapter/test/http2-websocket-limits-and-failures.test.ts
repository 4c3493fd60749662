/**
 * RFC 8441 over real sockets, the edges: maxPayload (1009), permessage-deflate, abort
 * (RST_STREAM) both ways, refusals (verifyClient, path, a server that does not advertise
 * SETTINGS_ENABLE_CONNECT_PROTOCOL), and the handshake timeout.
 */
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { ConnectProtocolUnsupportedError, WebSocketServer } from '@sansock/node';
import { openSessionCount } from '../src/http2/session-pool.js';
import { next, portOf } from './helpers.js';
import { type H2Setup, startH2 } from './http2-helpers.js';

let setup: H2Setup | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await setup?.close();
  setup = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function plainH2Server(settings: http2.Settings): Promise<{ port: number; streams: number }> {
  const server = http2.createServer({ settings });
  const sessions: http2.ServerHttp2Session[] = [];
  const counts = { port: 0, streams: 0 };
  server.on('session', (session: http2.ServerHttp2Session) => sessions.push(session));
  server.on('stream', (stream) => {
    counts.streams++;
    stream.respond({ ':status': 404 });
    stream.end();
  });
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  cleanups.push(async () => {
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  counts.port = portOf(server);
  return counts;
}

describe('WebSocket over HTTP/2: limits', () => {
  it('closes with 1009 when a message exceeds maxPayload, on that stream only', async () => {
    setup = await startH2({ wss: { maxPayload: 1024 } });
    const serverErrors: string[] = [];
    setup.wss.on('connection', (ws) => {
      ws.on('error', (error: Error & { code?: string }) => serverErrors.push(error.code ?? ''));
      ws.on('message', (data) => ws.send(data));
    });
    const url = `ws://127.0.0.1:${setup.port}`;
    const [big, small] = [new WebSocket(url, { http2: true }), new WebSocket(url, { http2: true })];
    await Promise.all([next(big, 'open'), next(small, 'open')]);
    big.send(Buffer.alloc(1025));
    const [code] = await next<[number]>(big, 'close');
    expect(code).toBe(1009);
    expect(serverErrors).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']);
    // The other WebSocket on the same connection is untouched.
    small.send('still here');
    expect(String((await next<[Buffer]>(small, 'message'))[0])).toBe('still here');
    expect(setup.sessions).toHaveLength(1);
    small.close();
    await next(small, 'close');
  });

  it('negotiates permessage-deflate and round-trips compressed messages', async () => {
    setup = await startH2({ wss: { perMessageDeflate: { threshold: 0 } } });
    setup.wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
    const ws = new WebSocket(`ws://127.0.0.1:${setup.port}`, { http2: true });
    await next(ws, 'open');
    expect(ws.extensions).toBe('permessage-deflate');
    const text = 'compress me '.repeat(1000);
    const socket = setup.sessions[0]!.socket;
    const before = socket.bytesWritten;
    ws.send(text);
    expect(String((await next<[Buffer]>(ws, 'message'))[0])).toBe(text);
    // 12,000 bytes of repeated text went back as far fewer bytes on the TCP connection.
    expect(socket.bytesWritten - before).toBeGreaterThan(0);
    expect(socket.bytesWritten - before).toBeLessThan(1000);
    ws.close();
    await next(ws, 'close');
  });
});

describe('WebSocket over HTTP/2: abort', () => {
  it('terminate() resets the stream: the server sees 1006, other streams carry on', async () => {
    setup = await startH2();
    setup.wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
    const url = `ws://127.0.0.1:${setup.port}`;
    const [doomed, other] = [new WebSocket(url, { http2: true }), new WebSocket(url, { http2: true })];
    await Promise.all([next(doomed, 'open'), next(other, 'open')]);
    const serverSides = [...setup.wss.clients];
    const serverClosed = Promise.race(serverSides.map((ws) => next<[number]>(ws, 'close')));
    doomed.terminate();
    expect((await next<[number]>(doomed, 'close'))[0]).toBe(1006);
    expect((await serverClosed)[0]).toBe(1006);
    other.send('alive');
    expect(String((await next<[Buffer]>(other, 'message'))[0])).toBe('alive');
    other.close();
    await next(other, 'close');
  });

  it('a server-side terminate() reaches the client as 1006', async () => {
    setup = await startH2();
    setup.wss.on('connection', (ws) => ws.terminate());
    const ws = new WebSocket(`ws://127.0.0.1:${setup.port}`, { http2: true });
    expect((await next<[number]>(ws, 'close'))[0]).toBe(1006);
  });

  it('close() while connecting aborts the handshake with the ws error, and frees the session', async () => {
    setup = await startH2();
    const ws = new WebSocket(`ws://127.0.0.1:${setup.port}`, { http2: true });
    const error = next<[Error]>(ws, 'error');
    const closed = next<[number]>(ws, 'close');
    ws.close();
    expect((await error)[0].message).toBe('WebSocket was closed before the connection was established');
    expect((await closed)[0]).toBe(1006);
    await expect.poll(() => openSessionCount()).toBe(0);
  });
});

describe('WebSocket over HTTP/2: refusals', () => {
  it('fails with ConnectProtocolUnsupportedError when the server does not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL', async () => {
    const server = await plainH2Server({});
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}`, { http2: true });
    const closed = next<[number]>(ws, 'close');
    const [error] = await next<[Error]>(ws, 'error');
    expect(error).toBeInstanceOf(ConnectProtocolUnsupportedError);
    expect((error as ConnectProtocolUnsupportedError).code).toBe('WS_ERR_HTTP2_CONNECT_PROTOCOL_UNSUPPORTED');
    expect((await closed)[0]).toBe(1006);
    // No CONNECT was sent.
    expect(server.streams).toBe(0);
    await expect.poll(() => openSessionCount()).toBe(0);
  });

  it('reports the status when the server answers the CONNECT with a non-2xx', async () => {
    const server = await plainH2Server({ enableConnectProtocol: true });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}`, { http2: true });
    const [error] = await next<[Error]>(ws, 'error');
    expect(error.message).toBe('Unexpected server response: 404');
    expect(server.streams).toBe(1);
  });

  it('verifyClient refuses with its status; the path option refuses others with 400', async () => {
    setup = await startH2({
      wss: {
        path: '/ws',
        verifyClient: (info, done) => done(info.req.headers.authorization === 'Bearer ok', 403, 'Forbidden'),
      },
    });
    const base = `ws://127.0.0.1:${setup.port}`;
    const refused = new WebSocket(`${base}/ws`, { http2: true });
    expect((await next<[Error]>(refused, 'error'))[0].message).toBe('Unexpected server response: 403');
    const wrongPath = new WebSocket(`${base}/other`, { http2: true, headers: { authorization: 'Bearer ok' } });
    expect((await next<[Error]>(wrongPath, 'error'))[0].message).toBe('Unexpected server response: 400');
    const accepted = new WebSocket(`${base}/ws`, { http2: true, headers: { authorization: 'Bearer ok' } });
    await next(accepted, 'open');
    accepted.close();
    await next(accepted, 'close');
  });

  it('times out the handshake when the server never answers the CONNECT', async () => {
    const server = http2.createServer({ settings: { enableConnectProtocol: true } });
    const sessions: http2.ServerHttp2Session[] = [];
    server.on('session', (session: http2.ServerHttp2Session) => sessions.push(session));
    server.on('stream', () => {}); // never answers
    server.listen(0, '127.0.0.1');
    await next(server, 'listening');
    cleanups.push(async () => {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${portOf(server)}`, { http2: true, handshakeTimeout: 200 });
    expect((await next<[Error]>(ws, 'error'))[0].message).toBe('Opening handshake has timed out');
    await expect.poll(() => openSessionCount()).toBe(0);
  });
});

describe('WebSocket over HTTP/2: modes of the server', () => {
  it('handleStream() in noServer mode, next to a compatibility-layer request handler', async () => {
    const wss = new WebSocketServer({ noServer: true });
    const server = http2.createServer({ settings: { enableConnectProtocol: true } }, (_req, res) => res.end('plain'));
    server.on('connect', (req: http2.Http2ServerRequest) => {
      wss.handleStream(req.stream, req.headers, (ws, request) => {
        ws.send(`by handleStream, ${request.method} ${request.url} over ${request.httpVersion}`);
      });
    });
    const sessions: http2.ServerHttp2Session[] = [];
    server.on('session', (session: http2.ServerHttp2Session) => sessions.push(session));
    server.listen(0, '127.0.0.1');
    await next(server, 'listening');
    cleanups.push(async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${portOf(server)}`, { http2: true });
    expect(String((await next<[Buffer]>(ws, 'message'))[0])).toBe('by handleStream, CONNECT / over 2.0');
    ws.close();
    await next(ws, 'close');
  });

  it('http2Server with a request handler: WebSockets go to the server, plain requests to the handler', async () => {
    setup = await startH2();
    setup.server.on('request', (_req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => res.end('plain'));
    setup.wss.on('connection', (ws) => ws.send('ws'));
    const ws = new WebSocket(`ws://127.0.0.1:${setup.port}`, { http2: true });
    expect(String((await next<[Buffer]>(ws, 'message'))[0])).toBe('ws');
    const session = http2.connect(`http://127.0.0.1:${setup.port}`);
    const request = session.request({ ':path': '/' });
    request.setEncoding('utf8');
    let body = '';
    request.on('data', (chunk: string) => (body += chunk));
    await next(request, 'end');
    expect(body).toBe('plain');
    session.close();
    ws.close();
    await next(ws, 'close');
  });
});
