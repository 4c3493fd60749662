/**
 * RFC 8441 flow control over a real HTTP/2 connection: each WebSocket is its own stream with its
 * own HTTP/2 window (RFC 9113 §5.2), so a server-side WebSocket that stops reading (pause())
 * pushes back on its sender only: the sender's bufferedAmount grows, the server holds a bounded
 * amount, and another WebSocket on the same TCP connection keeps exchanging messages. Resuming
 * delivers everything, in order.
 */
import type http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { next } from './helpers.js';
import { type H2Setup, startH2 } from './http2-helpers.js';

let setup: H2Setup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const CHUNK = 64 * 1024;
const MESSAGES = 64; // 4 MiB in all, far beyond any window or buffer on the way

describe('WebSocket over HTTP/2: per-stream backpressure', () => {
  it('a paused reader stalls its own stream only', async () => {
    setup = await startH2();
    const received = new Map<string, number>();
    const serverSockets = new Map<string, WebSocket>();
    setup.wss.on('connection', (ws, req) => {
      const name = String(req.url).slice(1);
      serverSockets.set(name, ws);
      received.set(name, 0);
      ws.on('message', (data) => {
        received.set(name, received.get(name)! + 1);
        if (name === 'fast') ws.send(data);
      });
    });
    const url = `ws://127.0.0.1:${setup.port}`;
    const slow = new WebSocket(`${url}/slow`, { http2: true, perMessageDeflate: false });
    const fast = new WebSocket(`${url}/fast`, { http2: true, perMessageDeflate: false });
    await Promise.all([next(slow, 'open'), next(fast, 'open')]);
    expect(setup.sessions).toHaveLength(1);
    await expect.poll(() => serverSockets.size).toBe(2);

    serverSockets.get('slow')!.pause();
    for (let i = 0; i < MESSAGES; i++) slow.send(Buffer.alloc(CHUNK, i));
    // The sender cannot get rid of its data: the stream's window is closed.
    const serverStream = serverSockets.get('slow')!._socket as http2.ServerHttp2Stream;
    await expect.poll(() => slow.bufferedAmount).toBeGreaterThan(MESSAGES * CHUNK - 1024 * 1024);
    expect(received.get('slow')).toBe(0);
    // What the server holds for the paused stream is bounded (its window plus its read buffer).
    expect(serverStream.readableLength).toBeLessThan(1024 * 1024);

    // Meanwhile the other WebSocket on the same connection is not held up.
    for (let i = 0; i < 20; i++) {
      const echoed = next<[Buffer]>(fast, 'message');
      fast.send(Buffer.alloc(CHUNK, 7));
      expect((await echoed)[0].length).toBe(CHUNK);
    }
    expect(received.get('slow')).toBe(0);
    expect(slow.bufferedAmount).toBeGreaterThan(MESSAGES * CHUNK - 1024 * 1024);

    // Resuming drains everything, in order.
    const firstBytes: number[] = [];
    serverSockets.get('slow')!.on('message', (data: Buffer) => firstBytes.push(data[0]!));
    serverSockets.get('slow')!.resume();
    await expect.poll(() => received.get('slow')).toBe(MESSAGES);
    expect(firstBytes).toEqual(Array.from({ length: MESSAGES }, (_, i) => i));
    await expect.poll(() => slow.bufferedAmount).toBe(0);
    for (const ws of [slow, fast]) {
      const closed = next(ws, 'close');
      ws.close();
      await closed;
    }
  });
});
