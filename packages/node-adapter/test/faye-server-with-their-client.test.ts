/**
 * Our faye server (`@sansock/node/faye`) with the real faye-websocket Client over real sockets:
 * text, binary, large and 16 MiB messages, subprotocols, close codes and reasons both ways,
 * ping callbacks, and permessage-deflate through faye's own extension on both sides.
 */
import { afterEach, describe, expect, it } from 'vitest';
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

const Ours = OurFaye as unknown as FayeModuleLike;
let app: TestServer | undefined;
const clients: FayeSocketLike[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.readyState < 2) client.close();
  await app?.close();
  app = undefined;
});

function theirClient(url: string, protocols: string[] | null = null, options: object = {}): FayeSocketLike {
  const client = new TheirFaye.Client(url, protocols, options);
  clients.push(client);
  return client;
}

describe('our faye server, their faye client', () => {
  it('echoes text and binary, reports url, version and the chosen subprotocol', async () => {
    let serverSide: FayeSocketLike | undefined;
    app = await fayeServer(
      Ours,
      (ws) => {
        serverSide = ws;
        echo(ws);
      },
      ['chat', 'superchat'],
    );
    const client = theirClient(`${app.url}path?q=1`, ['other', 'superchat', 'chat']);
    await nextEvent(client, 'open');
    expect(client.protocol).toBe('superchat');
    expect(serverSide!.protocol).toBe('superchat');
    expect(serverSide!.url).toBe(`ws://127.0.0.1:${app.port}/path?q=1`);
    expect(serverSide!.version).toBe('hybi-13');
    const replies = messages(client, 2);
    client.send('héllo');
    client.send(Buffer.from([0, 1, 2, 255]));
    const [text, binary] = await replies;
    expect(text).toBe('héllo');
    expect(Buffer.isBuffer(binary)).toBe(true);
    expect([...(binary as Buffer)]).toEqual([0, 1, 2, 255]);
  });

  it('carries a 16 MiB binary message and a 1 MiB text message both ways', async () => {
    app = await fayeServer(Ours, echo);
    const client = theirClient(app.url);
    await nextEvent(client, 'open');
    const big = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4093) big[i] = i & 0xff;
    const text = 'x'.repeat(1024 * 1024);
    const replies = messages(client, 2);
    client.send(big);
    client.send(text);
    const [bigBack, textBack] = await replies;
    expect(Buffer.compare(bigBack as Buffer, big)).toBe(0);
    expect(textBack).toBe(text);
  });

  it('closes with the client code and reason; the server sees them', async () => {
    const serverClosed: Promise<FayeCloseEventLike>[] = [];
    app = await fayeServer(Ours, (ws) => serverClosed.push(nextEvent<FayeCloseEventLike>(ws, 'close')));
    const client = theirClient(app.url);
    await nextEvent(client, 'open');
    const clientClosed = nextEvent<FayeCloseEventLike>(client, 'close');
    client.close(4001, 'bye now');
    const [server, own] = await Promise.all([serverClosed[0]!, clientClosed]);
    expect(server.code).toBe(4001);
    expect(server.reason).toBe('bye now');
    expect(own.code).toBe(4001);
  });

  it('closes from the server with a code and reason; onclose and on("close") both see it', async () => {
    app = await fayeServer(Ours, (ws) => ws.on('open', () => ws.close(3000, 'server says bye')));
    const client = theirClient(app.url);
    const viaProperty = new Promise<FayeCloseEventLike>((resolve) => {
      client.onclose = resolve;
    });
    const viaListener = nextEvent<FayeCloseEventLike>(client, 'close');
    const [a, b] = await Promise.all([viaProperty, viaListener]);
    expect(a.code).toBe(3000);
    expect(a.reason).toBe('server says bye');
    expect(b).toBe(a);
  });

  it('rejects close codes faye rejects', async () => {
    app = await fayeServer(Ours, (ws) =>
      ws.on('open', () => {
        expect(() => ws.close(1001)).toThrow(/between 3000 and 4999/);
        ws.close();
      }),
    );
    const client = theirClient(app.url);
    const closed = await nextEvent<FayeCloseEventLike>(client, 'close');
    expect(closed.code).toBe(1000);
  });

  it('ping(message, callback): the callback runs on the matching pong, from either side', async () => {
    const serverPinged = new Promise<string>((resolve) => {
      void fayeServer(Ours, (ws) =>
        ws.on('open', () => {
          ws.ping('from-server', () => resolve('pong for from-server'));
        }),
      ).then((server) => {
        app = server;
        const client = theirClient(server.url);
        client.on('open', () => client.ping('from-client', () => clientPong('pong for from-client')));
      });
    });
    let clientPong!: (value: string) => void;
    const clientPinged = new Promise<string>((resolve) => {
      clientPong = resolve;
    });
    expect(await serverPinged).toBe('pong for from-server');
    expect(await clientPinged).toBe('pong for from-client');
  });

  it('sends with permessage-deflate through faye’s extension on both sides', async () => {
    let serverHeaders: string | undefined;
    app = await fayeServer(
      Ours,
      (ws, request) => {
        serverHeaders = String(request.headers['sec-websocket-extensions']);
        echo(ws);
      },
      null,
      { extensions: [deflate] },
    );
    const client = theirClient(app.url, null, { extensions: [deflate] });
    await nextEvent(client, 'open');
    expect(serverHeaders).toContain('permessage-deflate');
    expect(client.headers?.['sec-websocket-extensions']).toContain('permessage-deflate');
    const text = 'compress me '.repeat(10_000);
    const binary = Buffer.alloc(3 * 1024 * 1024, 7);
    const replies = messages(client, 3);
    client.send(text);
    client.send(binary);
    client.send('small');
    const [a, b, c] = await replies;
    expect(a).toBe(text);
    expect(Buffer.compare(b as Buffer, binary)).toBe(0);
    expect(c).toBe('small');
  });

  it('works as a Stream: a message echoed through pipe()', async () => {
    app = await fayeServer(Ours, (ws) => (ws as unknown as NodeJS.ReadWriteStream).pipe(ws as unknown as NodeJS.WritableStream));
    const client = theirClient(app.url);
    await nextEvent(client, 'open');
    const replies = messages(client, 2);
    client.send('through the pipe');
    client.send(Buffer.from('bytes too'));
    expect(await replies).toEqual(['through the pipe', Buffer.from('bytes too')]);
  });
});
