/**
 * `WebSocket#pingAndWait` (not in `ws`): resolves when the pong with the same payload arrives
 * (RFC 6455 §5.5.3), rejects on timeout or close, against the real `ws` package. `ws`'s own
 * `ping(data, mask, cb)` keeps calling back when the ping is written, pong or not.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { WebSocket, WebSocketServer } from '@sansock/node';
import { next } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

/** A ws server (with its options) and our connected client, plus the server-side peer. */
async function ourClientAndWsServer(serverOptions: wsPackage.ServerOptions = {}) {
  const server = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', ...serverOptions });
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await next(server, 'listening');
  const peer = next<[wsPackage.WebSocket]>(server, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  cleanup.push(() => client.terminate());
  await next(client, 'open');
  const [remote] = await peer;
  cleanup.push(() => remote.terminate());
  return { client, remote };
}

describe('ws API pingAndWait', () => {
  it('resolves with the round trip once the ws peer answers, for a given payload and for none', async () => {
    const { client, remote } = await ourClientAndWsServer();
    const payloads: string[] = [];
    remote.on('ping', (data) => payloads.push(data.toString()));
    const rtt = await client.pingAndWait('hello');
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(rtt)).toBe(true);
    await client.pingAndWait();
    await client.pingAndWait(Buffer.from([0, 1, 2]));
    expect(payloads[0]).toBe('hello');
    // Without a payload, one of our own, distinct from any other ping's.
    expect(payloads[1]).toMatch(/^sansock-ping-\d+$/);
    expect(payloads).toHaveLength(3);
  });

  it('our server side too: the ws client answers, and a pong with another payload does not count', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const connection = next<[WebSocket]>(server, 'connection');
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { autoPong: false });
    cleanup.push(() => client.terminate());
    await next(client, 'open');
    const [ours] = await connection;
    let settled = false;
    const answered = ours.pingAndWait('match-me').then(() => (settled = true));
    await next(client, 'ping');
    // An unsolicited pong (a heartbeat, §5.5.3) first: it answers nothing.
    client.pong('something else');
    await next(ours, 'pong');
    expect(settled).toBe(false);
    client.pong('match-me');
    await answered;
    expect(settled).toBe(true);
  });

  it('rejects with WS_ERR_PONG_TIMEOUT when a ws peer with autoPong: false never answers', async () => {
    const { client } = await ourClientAndWsServer({ autoPong: false });
    await expect(client.pingAndWait('x', { timeout: 50 })).rejects.toMatchObject({ code: 'WS_ERR_PONG_TIMEOUT' });
    expect(client.readyState).toBe(WebSocket.OPEN);
  });

  it('rejects with WS_ERR_CLOSED when the connection closes first', async () => {
    const { client, remote } = await ourClientAndWsServer({ autoPong: false });
    const waiting = client.pingAndWait('never');
    remote.close(1001, 'going away');
    await expect(waiting).rejects.toMatchObject({ code: 'WS_ERR_CLOSED' });
  });

  it('rejects when not open, and for a payload over 125 bytes (RangeError, as ws.ping throws)', async () => {
    const { client } = await ourClientAndWsServer();
    await expect(client.pingAndWait('y'.repeat(126))).rejects.toBeInstanceOf(RangeError);
    await expect(client.pingAndWait('z', { timeout: 0 })).rejects.toBeInstanceOf(RangeError);
    client.close();
    await expect(client.pingAndWait()).rejects.toThrow('WebSocket is not open: readyState 2 (CLOSING)');
    const connecting = new WebSocket('ws://127.0.0.1:9/');
    connecting.on('error', () => {});
    await expect(connecting.pingAndWait()).rejects.toThrow('WebSocket is not open: readyState 0 (CONNECTING)');
  });

  it("leaves ws's ping(data, mask, cb) as it is: the callback runs once written, with no pong", async () => {
    const { client } = await ourClientAndWsServer({ autoPong: false });
    const written = await new Promise<Error | null | undefined>((resolve) => client.ping('p', false, resolve));
    expect(written).toBeNull();
  });
});
