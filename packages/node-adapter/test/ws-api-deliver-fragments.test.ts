/**
 * The `deliverFragments` option of the ws-style API (not in `ws`): messages arrive piece by
 * piece in 'fragment' events, as their frames (or parts of frames) come in, instead of whole in
 * 'message'. The real `ws` package sends the fragmented messages (its `fin: false` sends).
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { type FragmentInfo, WebSocket, WebSocketServer } from '@sansock/node';
import { next } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

/** Pieces until `messages` messages are complete. */
function pieces(socket: WebSocket, messages: number): Promise<Array<[Buffer, FragmentInfo]>> {
  return new Promise((resolve) => {
    const seen: Array<[Buffer, FragmentInfo]> = [];
    let complete = 0;
    socket.on('fragment', (data, info) => {
      seen.push([Buffer.from(data), info]);
      if (info.last && ++complete === messages) resolve(seen);
    });
  });
}

describe('ws API deliverFragments', () => {
  it("our server hands out each frame of the ws client's fragmented messages, and no 'message'", async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', deliverFragments: true });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const connection = next<[WebSocket]>(server, 'connection');
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    cleanup.push(() => client.terminate());
    await next(client, 'open');
    const [ours] = await connection;
    let messages = 0;
    ours.on('message', () => messages++);
    const received = pieces(ours, 3);
    client.send('hel', { fin: false });
    client.send('lo ', { fin: false });
    client.send('wörld', { fin: true });
    client.send(Buffer.from([1, 2, 3]), { fin: false });
    client.send(Buffer.from([4]), { fin: true });
    client.send('whole');
    const seen = await received;
    // Small frames arrive whole: one piece per frame.
    expect(seen.map(([data, info]) => [data.toString(), info])).toEqual([
      ['hel', { isBinary: false, first: true, last: false, frameEnd: true }],
      ['lo ', { isBinary: false, first: false, last: false, frameEnd: true }],
      ['wörld', { isBinary: false, first: false, last: true, frameEnd: true }],
      ['\x01\x02\x03', { isBinary: true, first: true, last: false, frameEnd: true }],
      ['\x04', { isBinary: true, first: false, last: true, frameEnd: true }],
      ['whole', { isBinary: false, first: true, last: true, frameEnd: true }],
    ]);
    expect(messages).toBe(0);
  });

  it('our client gets a 4 MiB message from the ws server in pieces that add up to it', async () => {
    const server = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const big = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 997) big[i] = i & 0xff;
    server.on('connection', (peer) => {
      cleanup.push(() => peer.terminate());
      peer.send(big);
    });
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { deliverFragments: true });
    cleanup.push(() => client.terminate());
    const seen = await pieces(client, 1);
    // One frame, read in many TCP reads: several pieces, only the last ends the frame.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.map(([, info]) => info.frameEnd)).toEqual([...Array(seen.length - 1).fill(false), true]);
    expect(seen[0]![1].first).toBe(true);
    expect(Buffer.concat(seen.map(([data]) => data)).equals(big)).toBe(true);
  });

  it('invalid UTF-8 in a piece still fails the connection with 1007', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', deliverFragments: true });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const errors: Array<Error & { code?: string }> = [];
    server.on('connection', (ours) => ours.on('error', (error) => errors.push(error)));
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    cleanup.push(() => client.terminate());
    await next(client, 'open');
    const closed = next<[number]>(client, 'close');
    client.send(Buffer.from([0x68, 0xc0, 0xaf]), { binary: false, fin: false });
    expect((await closed)[0]).toBe(1007);
    expect(errors.map((error) => error.code)).toEqual(['WS_ERR_INVALID_UTF8']);
  });
});
