/**
 * @sansock/node/faye beyond the happy path: `maxLength` (1009), protocol errors (1002),
 * fragmented messages (from the `ws` package, plain and compressed, into faye's own deflate
 * extension), automatic pings (`ping` option), a bad handshake, and close() before open.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WsWebSocket, { WebSocketServer as WsServer } from 'ws';
import OurFaye from '@sansock/node/faye';
import {
  type FayeCloseEventLike,
  type FayeModuleLike,
  type FayeSocketLike,
  type TestServer,
  TheirFaye,
  deflate,
  echo,
  fayeServer,
  messages,
  nextEvent,
} from './faye-helpers.js';
import { onBun, portOf, readHead } from './helpers.js';

const Ours = OurFaye as unknown as FayeModuleLike;
let app: TestServer | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await app?.close();
  app = undefined;
});

/** A `ws` client, terminated after the test. */
async function wsClient(url: string, options: WsWebSocket.ClientOptions = {}): Promise<WsWebSocket> {
  const client = new WsWebSocket(url, options);
  cleanups.push(() => client.terminate());
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  return client;
}

describe('faye limits, fragments and failures', () => {
  it('a message over maxLength: error on the server, close 1009 on both sides', async () => {
    let serverSide: FayeSocketLike | undefined;
    app = await fayeServer(Ours, (ws) => (serverSide = ws), null, { maxLength: 1024 });
    const client = new TheirFaye.Client(app.url);
    cleanups.push(() => client.close());
    await nextEvent(client, 'open');
    const serverError = nextEvent<{ message: string }>(serverSide!, 'error');
    const serverClosed = nextEvent<FayeCloseEventLike>(serverSide!, 'close');
    const clientClosed = nextEvent<FayeCloseEventLike>(client, 'close');
    client.send('x'.repeat(2000));
    expect((await serverError).message).toMatch(/max|length|big/i);
    expect((await serverClosed).code).toBe(1009);
    expect((await clientClosed).code).toBe(1009);
  });

  it('a frame with a reserved bit set: close 1002', async () => {
    let serverSide: FayeSocketLike | undefined;
    app = await fayeServer(Ours, (ws) => (serverSide = ws));
    const socket = net.connect(app.port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const { head } = await readHead(socket);
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    const closed = nextEvent<FayeCloseEventLike>(serverSide!, 'close');
    // FIN + RSV2 + text, masked, empty payload.
    socket.write(Buffer.from([0xa1, 0x80, 1, 2, 3, 4]));
    expect((await closed).code).toBe(1002);
  });

  it('a connection reset by the peer: error "Network error: ..." (not on Bun), then close 1006', async () => {
    let serverSide: FayeSocketLike | undefined;
    app = await fayeServer(Ours, (ws) => (serverSide = ws));
    const socket = net.connect(app.port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await readHead(socket);
    await expect.poll(() => serverSide?.readyState).toBe(1);
    const error = nextEvent<{ message: string }>(serverSide!, 'error');
    const closed = nextEvent<FayeCloseEventLike>(serverSide!, 'close');
    socket.resetAndDestroy();
    // Bun closes the server's socket on a reset without an ECONNRESET 'error' to relay.
    if (!onBun) expect((await error).message).toMatch(/^Network error: ws:\/\/x\/: .*ECONNRESET/);
    expect((await closed).code).toBe(1006);
  });

  it('a bad handshake (no Sec-WebSocket-Key): 400 on the wire, error then close 1002 on the server', async () => {
    let serverSide: FayeSocketLike | undefined;
    app = await fayeServer(Ours, (ws) => (serverSide = ws));
    const socket = net.connect(app.port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
    const { head } = await readHead(socket);
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    await expect.poll(() => serverSide?.readyState).toBe(3);
  });

  it('fragmented messages from the ws package, plain and compressed, into faye’s deflate extension', async () => {
    app = await fayeServer(Ours, echo, null, { extensions: [deflate] });
    const plain = await wsClient(app.url, { perMessageDeflate: false });
    const plainReplies = new Promise<string>((resolve) => plain.once('message', (data) => resolve(String(data))));
    plain.send('first ', { fin: false });
    plain.send('second ', { fin: false });
    plain.send('third', { fin: true });
    expect(await plainReplies).toBe('first second third');

    const compressed = await wsClient(app.url, { perMessageDeflate: { threshold: 0 } });
    expect(compressed.extensions).toContain('permessage-deflate');
    const replies: string[] = [];
    const done = new Promise<void>((resolve) =>
      compressed.on('message', (data) => {
        replies.push(String(data));
        if (replies.length === 2) resolve();
      }),
    );
    const part = 'squeeze this fragment '.repeat(2000);
    compressed.send(part, { fin: false, compress: true });
    compressed.send(part, { fin: false, compress: true });
    compressed.send('end', { fin: true, compress: true });
    compressed.send('and one more, whole', { compress: true });
    await done;
    expect(replies).toEqual([`${part}${part}end`, 'and one more, whole']);
  });

  it('the ping option sends a ping every `ping` seconds with an increasing id', async () => {
    const wss = new WsServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const ws of wss.clients) ws.terminate();
          wss.close(() => resolve());
        }),
    );
    const pings = new Promise<string[]>((resolve) => {
      wss.on('connection', (ws) => {
        const seen: string[] = [];
        ws.on('ping', (data) => {
          seen.push(String(data));
          if (seen.length === 3) resolve(seen);
        });
      });
    });
    const client = new OurFaye.Client(`ws://127.0.0.1:${portOf(wss)}/`, null, { ping: 0.02 });
    cleanups.push(() => client.close());
    // The timer starts with the Client, as faye's: ticks before 'open' send nothing, so the
    // first id seen depends on how long the handshake took; each later one is one more.
    const ids = (await pings).map(Number);
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2]);
  });

  it('close() before the handshake completes: close 1006 and never open', async () => {
    app = await fayeServer(TheirFaye, echo);
    const client = new OurFaye.Client(app.url);
    let opened = false;
    client.on('open', () => (opened = true));
    const closed = nextEvent<FayeCloseEventLike>(client as unknown as FayeSocketLike, 'close');
    client.close();
    expect((await closed).code).toBe(1006);
    expect(client.readyState).toBe(3);
    expect(opened).toBe(false);
  });

  it('events reach onmessage, on("message") and addEventListener("message"), in that order', async () => {
    app = await fayeServer(TheirFaye, echo);
    const client = new OurFaye.Client(app.url);
    cleanups.push(() => client.close());
    const order: string[] = [];
    client.onmessage = (event) => order.push(`onmessage ${String(event.data)}`);
    client.on('message', (event: { data: string }) => order.push(`on ${event.data}`));
    client.addEventListener('message', ((event: { data: string }) => order.push(`listener ${event.data}`)) as never);
    const done = messages(client as unknown as FayeSocketLike, 1);
    client.on('open', () => client.send('hi'));
    await done;
    await expect.poll(() => order.length).toBe(3);
    expect(order).toEqual(['onmessage hi', 'on hi', 'listener hi']);
  });
});
