/**
 * The `keepAlive` option of the ws-style API (not in `ws`), client and server, against the real
 * `ws` package as the peer: one that answers pings stays connected, one that does not
 * (`autoPong: false`) is dropped with 1006. Timeouts are generous where a slow machine could
 * delay an answer; a drop is only asserted where the peer never answers at all.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { InvalidArgumentError } from '@sansock/core';
import { WebSocket, WebSocketServer } from '@sansock/node';
import { collect, next } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function listening<S extends { address(): AddressInfo | string | null; close(cb?: () => void): void; clients: Set<{ terminate(): void }> } & NodeJS.EventEmitter>(
  server: S,
): Promise<number> {
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  await next(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('ws API keepAlive: our server, the ws client as the peer', () => {
  it('pings an idle ws client that answers, and keeps it', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', keepAlive: { interval: 20, timeout: 10_000 } });
    const port = await listening(server);
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => client.terminate());
    const pings = collect<[Buffer]>(client, 'ping', 3);
    await next(client, 'open');
    const [firstPing] = await pings;
    // The keep-alive ping has an empty payload, as WebSocket-Node's.
    expect(firstPing![0].length).toBe(0);
    expect(client.readyState).toBe(wsPackage.WebSocket.OPEN);
    expect([...server.clients][0]!.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a ws client that never answers (autoPong: false): close 1006 on both sides', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', keepAlive: { interval: 20, timeout: 100 } });
    const port = await listening(server);
    const serverSide = next<[WebSocket]>(server, 'connection');
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${port}`, { autoPong: false });
    cleanup.push(() => client.terminate());
    let pings = 0;
    client.on('ping', () => pings++);
    const clientClosed = next<[number, Buffer]>(client, 'close');
    const [ours] = await serverSide;
    const [code] = await next<[number, Buffer]>(ours, 'close');
    expect(code).toBe(1006);
    expect((await clientClosed)[0]).toBe(1006);
    // Exactly one ping went unanswered before the drop.
    expect(pings).toBe(1);
  });

  it('is off by default, as in ws: no ping ever', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const port = await listening(server);
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => client.terminate());
    let pings = 0;
    client.on('ping', () => pings++);
    await next(client, 'open');
    // A round trip of our own proves the server had every chance to ping: it did not.
    client.ping('probe');
    await next(client, 'pong');
    expect(pings).toBe(0);
    expect('keepAlive' in server.options).toBe(false);
  });
});

describe('ws API keepAlive: our client, the ws server as the peer', () => {
  it('pings an idle ws server that answers, and stays open', async () => {
    const server = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    const port = await listening(server);
    const pings = new Promise<number>((resolve) => {
      server.on('connection', (peer) => {
        let count = 0;
        peer.on('ping', () => ++count === 3 && resolve(count));
      });
    });
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { keepAlive: { interval: 20, timeout: 10_000 } });
    cleanup.push(() => client.terminate());
    expect(await pings).toBe(3);
    expect(client.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a ws server that never answers (autoPong: false): close 1006', async () => {
    const server = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    const port = await listening(server);
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { keepAlive: { interval: 20, timeout: 100 } });
    cleanup.push(() => client.terminate());
    const [code, reason] = await next<[number, Buffer]>(client, 'close');
    expect(code).toBe(1006);
    expect(reason.length).toBe(0);
    expect(client.readyState).toBe(WebSocket.CLOSED);
  });

  it('a peer busy sending is never pinged: any message counts as life', async () => {
    const server = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    const port = await listening(server);
    let pings = 0;
    server.on('connection', (peer) => {
      peer.on('ping', () => pings++);
      // A message every few ms, far more often than the keep-alive interval (1 s).
      const timer = setInterval(() => peer.send('tick'), 5);
      peer.on('close', () => clearInterval(timer));
    });
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { keepAlive: { interval: 1000, timeout: 100 } });
    cleanup.push(() => client.terminate());
    await collect(client, 'message', 50);
    expect(pings).toBe(0);
    expect(client.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses a bad interval or timeout with a typed error where the socket or server is created', () => {
    const url = 'ws://127.0.0.1:9/';
    expect(() => new WebSocket(url, { keepAlive: { interval: 0 } })).toThrow(InvalidArgumentError);
    expect(() => new WebSocket(url, { keepAlive: { interval: 10, timeout: Number.NaN } })).toThrow(InvalidArgumentError);
    expect(() => new WebSocketServer({ noServer: true, keepAlive: { interval: -1 } })).toThrow(InvalidArgumentError);
  });
});
