/**
 * Sends made from a listener are written when the listener returns, one socket write per
 * client, for the sockets of other connections too (a broadcast from a 'message' listener);
 * sends outside listeners are written at once, as with `ws`. Checked over real sockets by
 * counting the writes that reach each server-side TCP socket (`_write` / `_writev`, the calls a
 * corked or plain `net.Socket` makes per syscall batch), plus what the clients receive.
 */
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { collect, countWrites, next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});


async function serverWithClients(count: number) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  await next(server, 'listening');
  const peers: Array<{ peer: WebSocket; writes: { readonly count: number } }> = [];
  server.on('connection', (peer: WebSocket, request: IncomingMessage) => {
    peers.push({ peer, writes: countWrites(request.socket) });
  });
  const clients: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${portOf(server)}`);
    cleanup.push(async () => {
      if (client.readyState === WebSocket.CLOSED) return;
      const closed = next(client, 'close');
      client.terminate();
      await closed;
    });
    await next(client, 'open');
    clients.push(client);
  }
  while (peers.length < count) await new Promise((resolve) => setImmediate(resolve));
  return { server, peers, clients };
}

describe('writes made from listeners', () => {
  it('a broadcast of several messages from one message listener is one write per client', async () => {
    const { peers, clients } = await serverWithClients(4);
    const bufferedDuringListener: number[] = [];
    peers[0]!.peer.on('message', (data: Buffer) => {
      for (let i = 0; i < 5; i++) {
        for (const { peer } of peers) peer.send(`${data.toString()} #${i}`);
      }
      // Not written yet, but counted: backpressure loops on bufferedAmount still see the bytes.
      for (const { peer } of peers) bufferedDuringListener.push(peer.bufferedAmount);
    });
    const before = peers.map(({ writes }) => writes.count);
    const received = clients.map((client) => collect<[Buffer]>(client, 'message', 5));
    clients[0]!.send('news');

    const messages = await Promise.all(received);
    for (const list of messages) {
      expect(list.map(([data]) => data.toString())).toEqual(['news #0', 'news #1', 'news #2', 'news #3', 'news #4']);
    }
    expect(peers.map(({ writes }, index) => writes.count - before[index]!)).toEqual([1, 1, 1, 1]);
    // Each 7-byte text message has a 2-byte header: 5 × 9 bytes per client.
    expect(bufferedDuringListener).toEqual([45, 45, 45, 45]);
  });

  it('sends outside any listener are written at once, one write per send', async () => {
    const { peers, clients } = await serverWithClients(2);
    const before = peers.map(({ writes }) => writes.count);
    const received = clients.map((client) => collect<[Buffer]>(client, 'message', 3));
    for (let i = 0; i < 3; i++) for (const { peer } of peers) peer.send(`tick ${i}`);
    expect(peers.map(({ writes }, index) => writes.count - before[index]!)).toEqual([3, 3]);
    for (const list of await Promise.all(received)) {
      expect(list.map(([data]) => data.toString())).toEqual(['tick 0', 'tick 1', 'tick 2']);
    }
  });

  it('a listener that throws still has its sends to other sockets written', async () => {
    const { peers, clients } = await serverWithClients(2);
    const thrown = new Error('listener failed after sending');
    peers[0]!.peer.on('message', () => {
      peers[1]!.peer.send('sent before the throw');
      throw thrown;
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    // The exception leaves through the socket's 'data' listener, as it does with `ws`.
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      const received = next<[Buffer]>(clients[1]!, 'message');
      clients[0]!.send('go');
      const [data] = await received;
      expect(data.toString()).toBe('sent before the throw');
      expect(uncaught).toEqual([thrown]);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
  });

  it('terminate() right after send() still writes the message first', async () => {
    const { peers, clients } = await serverWithClients(2);
    peers[0]!.peer.on('message', () => {
      peers[1]!.peer.send('last words');
      peers[1]!.peer.terminate();
    });
    const received = next<[Buffer]>(clients[1]!, 'message');
    const closed = next<[number]>(clients[1]!, 'close');
    clients[0]!.send('go');
    const [data] = await received;
    expect(data.toString()).toBe('last words');
    expect((await closed)[0]).toBe(1006);
  });
});
