/**
 * Interop with the `ws` package as the peer, both ways (our client ↔ ws server, ws client ↔ our
 * server), plus ours ↔ ours: messages of every kind and size, fragmentation, ping/pong, and
 * every close path. Both sides' observations are asserted.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import SansockWebSocket, { WebSocketServer as SansockServer } from '@sansock/node';
import { collect, delay, next } from './helpers.js';

/** The API both implementations share, as the tests use it. */
interface Peer extends NodeJS.EventEmitter {
  readonly readyState: number;
  send(data: unknown, options?: { binary?: boolean; fin?: boolean }, callback?: (error?: Error) => void): void;
  ping(data?: unknown): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}
interface PeerServer extends NodeJS.EventEmitter {
  address(): AddressInfo | string | null;
  close(callback?: () => void): void;
  clients: Set<Peer>;
}
type ClientCtor = new (url: string, options?: Record<string, unknown>) => Peer;
type ServerCtor = new (options: Record<string, unknown>) => PeerServer;

const pairs: Array<{ name: string; Client: ClientCtor; Server: ServerCtor }> = [
  { name: 'our client ↔ ws server', Client: SansockWebSocket as unknown as ClientCtor, Server: wsPackage.WebSocketServer as unknown as ServerCtor },
  { name: 'ws client ↔ our server', Client: wsPackage.WebSocket as unknown as ClientCtor, Server: SansockServer as unknown as ServerCtor },
  { name: 'our client ↔ our server', Client: SansockWebSocket as unknown as ClientCtor, Server: SansockServer as unknown as ServerCtor },
];

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

describe.each(pairs)('$name', ({ Client, Server }) => {
  /** A listening server and a connected client, with the server-side socket. */
  async function connect(serverOptions: Record<string, unknown> = {}, clientOptions: Record<string, unknown> = {}) {
    const server = new Server({ port: 0, host: '127.0.0.1', ...serverOptions });
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          for (const peer of server.clients) peer.terminate();
          server.close(() => resolve());
        }),
    );
    await next(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const serverSide = next<[Peer]>(server, 'connection');
    const client = new Client(`ws://127.0.0.1:${port}/path?x=1`, clientOptions);
    cleanup.push(() => client.terminate());
    await next(client, 'open');
    const [peer] = await serverSide;
    return { server, client, peer };
  }

  it('exchanges text, binary and empty messages in both directions', async () => {
    const { client, peer } = await connect();
    const atServer = collect<[Buffer, boolean]>(peer, 'message', 4);
    client.send('héllo');
    client.send(Buffer.from([1, 2, 3]));
    client.send('');
    client.send(new Uint8Array(0));
    const received = await atServer;
    expect(received.map(([data, binary]) => [data.toString('hex'), binary])).toEqual([
      [Buffer.from('héllo').toString('hex'), false],
      ['010203', true],
      ['', false],
      ['', true],
    ]);
    const atClient = collect<[Buffer, boolean]>(client, 'message', 2);
    peer.send('back');
    peer.send(Buffer.from('bin'));
    const back = await atClient;
    expect(back.map(([data, binary]) => [data.toString(), binary])).toEqual([
      ['back', false],
      ['bin', true],
    ]);
  });

  it('carries a 16 MiB message each way', async () => {
    const { client, peer } = await connect();
    // Every byte differs from its neighbours: a byte left unwritten or unmasked from the wrong key position shows.
    const big = Buffer.allocUnsafe(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >>> 12)) & 255;
    const atServer = next<[Buffer, boolean]>(peer, 'message');
    client.send(big);
    const [received] = await atServer;
    expect(received.length).toBe(big.length);
    expect(received.equals(big)).toBe(true);
    const atClient = next<[Buffer, boolean]>(client, 'message');
    peer.send(received);
    const [echoed] = await atClient;
    expect(echoed.equals(big)).toBe(true);
  });

  it('carries a 3 MB text message of multi-byte characters each way', async () => {
    const { client, peer } = await connect();
    const text = 'aé€😀'.repeat(300_000);
    const atServer = next<[Buffer, boolean]>(peer, 'message');
    client.send(text);
    const [received, binary] = await atServer;
    expect(binary).toBe(false);
    expect(received.toString() === text).toBe(true);
    const atClient = next<[Buffer, boolean]>(client, 'message');
    peer.send(received.toString());
    const [echoed] = await atClient;
    expect(echoed.toString() === text).toBe(true);
  });

  it('assembles a message sent in fragments (fin: false)', async () => {
    const { client, peer } = await connect();
    const atServer = next<[Buffer, boolean]>(peer, 'message');
    client.send('frag', { fin: false });
    client.send('men', { fin: false });
    client.send('ted', { fin: true });
    const [data, binary] = await atServer;
    expect([data.toString(), binary]).toEqual(['fragmented', false]);
  });

  it('answers pings with pongs carrying the same payload', async () => {
    const { client, peer } = await connect();
    const ping = next<[Buffer]>(peer, 'ping');
    const pong = next<[Buffer]>(client, 'pong');
    client.ping('are you there');
    expect((await ping)[0].toString()).toBe('are you there');
    expect((await pong)[0].toString()).toBe('are you there');
    const serverPong = next<[Buffer]>(peer, 'pong');
    peer.ping(Buffer.from([9, 8, 7]));
    expect([...(await serverPong)[0]]).toEqual([9, 8, 7]);
  });

  it('delivers messages sent right on connection/open (none lost or reordered)', async () => {
    const server = new Server({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const atServer = new Promise<string[]>((resolve) => {
      server.on('connection', (peer: Peer) => {
        for (let i = 0; i < 20; i++) peer.send(`s${i}`);
        collect<[Buffer]>(peer, 'message', 20).then((all) => resolve(all.map(([data]) => data.toString())));
      });
    });
    const client = new Client(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    cleanup.push(() => client.terminate());
    const atClient = collect<[Buffer]>(client, 'message', 20);
    client.on('open', () => {
      for (let i = 0; i < 20; i++) client.send(`c${i}`);
    });
    const expected = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    expect((await atClient).map(([data]) => data.toString())).toEqual(expected('s'));
    expect(await atServer).toEqual(expected('c'));
  });

  it('closes cleanly with a code and reason started by the client', async () => {
    const { client, peer } = await connect();
    const serverClose = next<[number, Buffer]>(peer, 'close');
    const clientClose = next<[number, Buffer]>(client, 'close');
    client.close(4001, 'bye now');
    expect(client.readyState).toBe(2);
    const [code, reason] = await serverClose;
    expect([code, reason.toString()]).toEqual([4001, 'bye now']);
    const [clientCode, clientReason] = await clientClose;
    // The server's answer repeats the code and the reason (as `ws` does).
    expect([clientCode, clientReason.toString()]).toEqual([4001, 'bye now']);
    expect(client.readyState).toBe(3);
  });

  it('closes cleanly when the server starts, and an empty close reports 1005', async () => {
    const { client, peer } = await connect();
    const clientClose = next<[number, Buffer]>(client, 'close');
    const serverClose = next<[number, Buffer]>(peer, 'close');
    peer.close();
    expect((await clientClose)[0]).toBe(1005);
    expect((await serverClose)[0]).toBe(1005);
  });

  it('terminate() closes both sides with 1006', async () => {
    const { client, peer } = await connect();
    const serverClose = next<[number, Buffer]>(peer, 'close');
    const clientClose = next<[number, Buffer]>(client, 'close');
    client.terminate();
    expect((await clientClose)[0]).toBe(1006);
    expect((await serverClose)[0]).toBe(1006);
  });

  it('reports 1006 when the server side drops the TCP connection', async () => {
    const { client, peer } = await connect();
    const clientClose = next<[number, Buffer]>(client, 'close');
    peer.terminate();
    const [code, reason] = await clientClose;
    expect([code, reason.length]).toEqual([1006, 0]);
  });

  it('calls send callbacks after the write, and with an error once closed', async () => {
    const { client, peer } = await connect();
    const received = next(peer, 'message');
    const written = await new Promise<Error | undefined | null>((resolve) => client.send('x', {}, resolve));
    expect(written ?? undefined).toBeUndefined();
    await received;
    const closed = next(client, 'close');
    client.close();
    await closed;
    const error = await new Promise<Error | undefined>((resolve) => client.send('late', {}, resolve));
    expect(error?.message).toBe('WebSocket is not open: readyState 3 (CLOSED)');
  });
});
