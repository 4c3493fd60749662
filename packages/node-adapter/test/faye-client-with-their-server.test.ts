/**
 * Our faye Client (`@sansock/node/faye`) against the real faye-websocket server, and against
 * our own ws-style server (its built-in permessage-deflate): messages of every kind, close codes,
 * ping callbacks, handshake response status and headers, and failures reported as faye does.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from '@sansock/node';
import OurFaye from '@sansock/node/faye';
import {
  type FayeCloseEventLike,
  type FayeSocketLike,
  type TestServer,
  TheirFaye,
  deflate,
  echo,
  fayeServer,
  messages,
  nextEvent,
} from './faye-helpers.js';
import { portOf } from './helpers.js';

let app: TestServer | undefined;
const clients: FayeSocketLike[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.readyState < 2) client.close();
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function ourClient(url: string, protocols: string[] | null = null, options: object = {}): FayeSocketLike {
  const client = new OurFaye.Client(url, protocols, options) as unknown as FayeSocketLike;
  clients.push(client);
  return client;
}

describe('our faye client, their faye server', () => {
  it('echoes text and binary; exposes protocol, statusCode and the response headers', async () => {
    app = await fayeServer(TheirFaye, echo, ['chat'], { headers: { 'X-Server': 'faye' } });
    const client = ourClient(app.url, ['chat']);
    expect(client.readyState).toBe(0);
    await nextEvent(client, 'open');
    expect(client.readyState).toBe(1);
    expect(client.protocol).toBe('chat');
    expect(client.statusCode).toBe(101);
    expect(client.headers?.['x-server']).toBe('faye');
    expect(client.url).toBe(app.url);
    expect(client.version).toBe('hybi-13');
    const replies = messages(client, 2);
    client.send('hello');
    client.send(Buffer.from('bin'));
    expect(await replies).toEqual(['hello', Buffer.from('bin')]);
  });

  it('sends what was sent before open once the handshake completes, in order', async () => {
    app = await fayeServer(TheirFaye, echo);
    const client = ourClient(app.url);
    const replies = messages(client, 3);
    client.send('one');
    client.send('two');
    client.send(3);
    expect(await replies).toEqual(['one', 'two', '3']);
  });

  it('carries a 16 MiB message both ways', async () => {
    app = await fayeServer(TheirFaye, echo);
    const client = ourClient(app.url);
    await nextEvent(client, 'open');
    const big = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 997) big[i] = (i * 7) & 0xff;
    const reply = messages(client, 1);
    client.send(big);
    const [back] = await reply;
    expect(Buffer.compare(back as Buffer, big)).toBe(0);
  });

  it('close codes and reasons in both directions', async () => {
    const serverClosed: Promise<FayeCloseEventLike>[] = [];
    app = await fayeServer(TheirFaye, (ws) => {
      serverClosed.push(nextEvent<FayeCloseEventLike>(ws, 'close'));
      ws.on('message', () => ws.close(4321, 'server done'));
    });
    const first = ourClient(app.url);
    await nextEvent(first, 'open');
    const firstClosed = nextEvent<FayeCloseEventLike>(first, 'close');
    first.close(3001, 'client done');
    expect((await serverClosed[0]!).code).toBe(3001);
    expect((await serverClosed[0]!).reason).toBe('client done');
    expect((await firstClosed).code).toBe(3001);
    expect(first.readyState).toBe(3);

    const second = ourClient(app.url);
    await nextEvent(second, 'open');
    const secondClosed = nextEvent<FayeCloseEventLike>(second, 'close');
    second.send('close please');
    const event = await secondClosed;
    expect(event.code).toBe(4321);
    expect(event.reason).toBe('server done');
  });

  it('ping(message, callback) runs the callback on the pong; send after close returns false', async () => {
    app = await fayeServer(TheirFaye, () => {});
    const client = ourClient(app.url);
    expect(client.ping('early')).toBe(false);
    await nextEvent(client, 'open');
    const ponged = new Promise<void>((resolve) => client.ping('are you there', resolve));
    await ponged;
    client.close();
    expect(client.send('late')).toBe(false);
    await nextEvent(client, 'close');
  });

  it('permessage-deflate via faye’s extension with their server', async () => {
    app = await fayeServer(TheirFaye, echo, null, { extensions: [deflate] });
    const client = ourClient(app.url, null, { extensions: [deflate] });
    await nextEvent(client, 'open');
    expect(client.headers?.['sec-websocket-extensions']).toContain('permessage-deflate');
    const text = 'deflate me please '.repeat(50_000);
    const replies = messages(client, 2);
    client.send(text);
    client.send(Buffer.alloc(1024 * 1024, 3));
    const [a, b] = await replies;
    expect(a).toBe(text);
    expect(Buffer.compare(b as Buffer, Buffer.alloc(1024 * 1024, 3))).toBe(0);
  });

  it('permessage-deflate via faye’s extension with our ws-style server’s built-in deflate', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
    await nextEvent(wss, 'listening');
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const ws of wss.clients) ws.terminate();
          wss.close(() => resolve());
        }),
    );
    const negotiated: string[] = [];
    wss.on('connection', (ws) => {
      negotiated.push(ws.extensions);
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
    const client = ourClient(`ws://127.0.0.1:${portOf(wss)}/`, null, { extensions: [deflate] });
    await nextEvent(client, 'open');
    expect(negotiated[0]).toContain('permessage-deflate');
    const text = 'both deflates agree '.repeat(20_000);
    const replies = messages(client, 2);
    client.send(text);
    client.send('again, with the context kept');
    expect(await replies).toEqual([text, 'again, with the context kept']);
  });

  it('a refused connection: error "Network error: ...", then close 1006', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = portOf(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = ourClient(`ws://127.0.0.1:${port}/`);
    const error = nextEvent<{ message: string }>(client, 'error');
    const closed = nextEvent<FayeCloseEventLike>(client, 'close');
    expect((await error).message).toMatch(/^Network error: ws:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED/);
    expect((await closed).code).toBe(1006);
    expect(client.readyState).toBe(3);
  });

  it('a non-101 response: error, close 1002, statusCode and headers of the response', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(404, { 'X-Why': 'nothing here' }).end('no');
    });
    server.on('upgrade', (_request, socket) => {
      socket.end('HTTP/1.1 404 Not Found\r\nX-Why: nothing here\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = ourClient(`ws://127.0.0.1:${portOf(server)}/`);
    const error = nextEvent<{ message: string }>(client, 'error');
    const closed = nextEvent<FayeCloseEventLike>(client, 'close');
    expect((await error).message).toMatch(/^Error during WebSocket handshake: /);
    expect((await closed).code).toBe(1002);
    expect(client.statusCode).toBe(404);
    expect(client.headers?.['x-why']).toBe('nothing here');
  });
});
