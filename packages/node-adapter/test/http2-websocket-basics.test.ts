/**
 * RFC 8441 (WebSockets over HTTP/2), our client ↔ our server over real sockets, h2c and TLS:
 * the extended CONNECT handshake, messages both ways, subprotocols, many WebSockets sharing one
 * TCP connection, and the session closing with its last stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { type ServerOptions, isHttp2Request } from '@sansock/node';
import { openSessionCount } from '../src/http2/session-pool.js';
import { next } from './helpers.js';
import { type H2Setup, type TestCert, makeCert, startH2 } from './http2-helpers.js';

let setup: H2Setup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

let cert: TestCert | undefined;
async function testCert(): Promise<TestCert> {
  cert ??= await makeCert();
  return cert;
}

const modes = [
  { name: 'h2c', scheme: 'ws', tls: false },
  { name: 'TLS (h2 by ALPN)', scheme: 'wss', tls: true },
] as const;

describe.each(modes)('WebSocket over HTTP/2, $name', ({ scheme, tls }) => {
  async function start(wss: Omit<ServerOptions, 'http2Server'> = {}) {
    const certificate = tls ? await testCert() : undefined;
    setup = await startH2({ cert: certificate, wss });
    return { url: `${scheme}://localhost:${setup.port}`, clientOptions: { http2: true, ca: certificate?.cert } };
  }

  it('opens with an extended CONNECT, echoes text and binary, and closes cleanly from the client', async () => {
    const { url, clientOptions } = await start();
    setup!.wss.on('connection', (ws, req) => {
      // The request is an http.IncomingMessage, as over HTTP/1.1; its socket is the connection's.
      const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
      ws.send(`over:${isHttp2Request(req) ? req.httpVersion : 'http1'} path:${req.url} ${req.headers[':authority']} secure:${secure} from:${req.socket.remoteAddress}`);
      ws.on('message', (data, binary) => ws.send(data, { binary }));
    });
    const ws = new WebSocket(`${url}/chat?room=1`, clientOptions);
    const [greeting] = await next<[Buffer]>(ws, 'message');
    expect(greeting.toString()).toBe(`over:2.0 path:/chat?room=1 localhost:${setup!.port} secure:${tls} from:127.0.0.1`);
    ws.send('hello');
    expect(String((await next<[Buffer]>(ws, 'message'))[0])).toBe('hello');
    ws.send(Buffer.from([1, 2, 3]));
    const [bytes, binary] = await next<[Buffer, boolean]>(ws, 'message');
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(binary).toBe(true);
    const [serverSide] = [...setup!.wss.clients];
    const serverClosed = next<[number, Buffer]>(serverSide!, 'close');
    ws.close(4000, 'bye');
    const [code, reason] = await next<[number, Buffer]>(ws, 'close');
    expect([code, reason.toString()]).toEqual([4000, 'bye']);
    expect((await serverClosed)[0]).toBe(4000);
  });

  it('negotiates a subprotocol with handleProtocols, which sees the HTTP/2 request', async () => {
    let seenMethod = '';
    const { url, clientOptions } = await start({
      handleProtocols: (protocols, req) => {
        seenMethod = req.method ?? '';
        return protocols.has('two') ? 'two' : false;
      },
    });
    const ws = new WebSocket(url, ['one', 'two'], clientOptions);
    await next(ws, 'open');
    expect(ws.protocol).toBe('two');
    expect(seenMethod).toBe('CONNECT');
    ws.terminate();
    await next(ws, 'close');
  });

  it('carries many WebSockets over one TCP connection, and closes the session after the last one', async () => {
    const { url, clientOptions } = await start();
    setup!.wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`echo:${String(data)}`)));
    const sockets = Array.from({ length: 20 }, () => new WebSocket(url, clientOptions));
    await Promise.all(sockets.map((ws) => next(ws, 'open')));
    expect(setup!.sessions).toHaveLength(1);
    expect(setup!.wss.clients.size).toBe(20);
    const replies = await Promise.all(
      sockets.map((ws, i) => {
        const reply = next<[Buffer]>(ws, 'message');
        ws.send(String(i));
        return reply;
      }),
    );
    expect(replies.map(([data]) => String(data))).toEqual(sockets.map((_, i) => `echo:${i}`));
    const [serverSession] = setup!.sessions;
    const sessionClosed = next(serverSession!, 'close');
    await Promise.all(
      sockets.map((ws) => {
        const closed = next(ws, 'close');
        ws.close();
        return closed;
      }),
    );
    await sessionClosed;
    expect(openSessionCount()).toBe(0);
  });

  it('closes cleanly when the server starts the closing handshake (it ends the stream first)', async () => {
    const { url, clientOptions } = await start();
    setup!.wss.on('connection', (ws) => ws.close(1001, 'going away'));
    const ws = new WebSocket(url, clientOptions);
    const [code, reason] = await next<[number, Buffer]>(ws, 'close');
    expect([code, String(reason)]).toEqual([1001, 'going away']);
  });
});
