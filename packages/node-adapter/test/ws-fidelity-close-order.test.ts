/**
 * `ws` fidelity: the order of the 'close' events of a client and its server (RFC 6455 §7.1.1:
 * the server closes TCP first). When our client starts the close against a `ws` server (or
 * ours), the server reports 'close' before the client does, exactly as with a `ws` client, so
 * `c.close(); await serverClosed; await once(c, 'close')` does not hang.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { next, onBun, portOf } from './helpers.js';

interface AnyServer extends NodeJS.EventEmitter {
  address(): ReturnType<WebSocketServer['address']>;
  close(callback?: () => void): void;
}
type Peer = NodeJS.EventEmitter & { close(code?: number): void; readyState: number };

const servers: AnyServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

const serverKinds = [
  ['a ws server', () => new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' }) as unknown as AnyServer],
  ['our server', () => new WebSocketServer({ port: 0, host: '127.0.0.1' }) as unknown as AnyServer],
] as const;
const clientKinds = [
  ['ws client', (url: string) => new wsPackage.WebSocket(url) as unknown as Peer],
  ['our client', (url: string) => new WebSocket(url) as unknown as Peer],
] as const;

/** Opens a pair, starts the close on one side, returns the order the two 'close' events came in. */
async function closeOrder(makeServer: () => AnyServer, makeClient: (url: string) => Peer, initiator: 'client' | 'server'): Promise<string[]> {
  const wss = makeServer();
  servers.push(wss);
  await next(wss, 'listening');
  const client = makeClient(`ws://127.0.0.1:${portOf(wss)}`);
  const [serverSide] = (await next(wss, 'connection')) as [Peer];
  if (client.readyState !== 1) await next(client, 'open');
  const order: string[] = [];
  const both = Promise.all([
    next(client, 'close').then(([code]) => order.push(`client ${String(code)}`)),
    next(serverSide, 'close').then(([code]) => order.push(`server ${String(code)}`)),
  ]);
  (initiator === 'client' ? client : serverSide).close(1000);
  await both;
  return order;
}

describe("order of the 'close' events, as ws", () => {
  for (const [serverName, makeServer] of serverKinds) {
    it(`our client closing ${serverName}: the server reports 'close' first, as with a ws client`, async () => {
      const reference = await closeOrder(makeServer, clientKinds[0][1], 'client');
      const ours = await closeOrder(makeServer, clientKinds[1][1], 'client');
      expect(reference).toEqual(['server 1000', 'client 1000']);
      expect(ours).toEqual(reference);
    });

    // Under Bun our client reports 'close' before the server here (a ws client does not): left
    // open, see the Bun section of the README.
    it.skipIf(onBun)(`${serverName} closing our client: the same order as with a ws client`, async () => {
      const reference = await closeOrder(makeServer, clientKinds[0][1], 'server');
      const ours = await closeOrder(makeServer, clientKinds[1][1], 'server');
      expect(ours).toEqual(reference);
    });
  }

  it("c.close(); await the server's 'close'; await the client's 'close' completes", async () => {
    const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    servers.push(wss as unknown as AnyServer);
    await next(wss, 'listening');
    const serverSawClose = next(wss, 'connection').then(([socket]) => once(socket as NodeJS.EventEmitter, 'close'));
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as unknown as AnyServer)}`);
    await once(client, 'open');
    client.close();
    await serverSawClose;
    const [code] = await once(client, 'close');
    expect(code).toBe(1005);
  });
});
