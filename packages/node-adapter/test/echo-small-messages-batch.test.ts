/**
 * The echo server's hot path over a real socket: a raw client writes 500 masked 64-byte frames
 * in one write; the server echoes each from its 'message' listener. What a user sees must be
 * `ws`'s: every message a real Buffer the listener may keep (its bytes unchanged by later
 * reads), every echo byte-exact, in order. What it costs is counted, not timed: the replies
 * to a read leave in one socket write (not one per message), and no message is wrapped into a
 * Buffer twice (`Buffer.from` is not called per message).
 */
import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from '@sansock/node';
import { countWrites, next, onBun, portOf, rawRequest, upgradeRequest } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const step of cleanup.splice(0).reverse()) await step();
});

const COUNT = 500;
const KEY = [0x12, 0x34, 0x56, 0x78];

function maskedBinaryFrame(payload: Buffer): Buffer {
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x82;
  frame[1] = 0x80 | payload.length;
  frame.set(KEY, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ KEY[i & 3]!;
  return frame;
}


describe('echo of many small messages from one read', () => {
  it('delivers Buffers the listener may keep, echoes byte-exact, one write per read, no Buffer.from per message', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');

    const payloads = Array.from({ length: COUNT }, (_, n) => Buffer.alloc(64, n & 0xff));
    // Built before the server spies on Buffer.from.
    const expected = Buffer.concat(payloads.map((payload) => Buffer.concat([Buffer.from([0x82, 64]), payload])));
    const frames = Buffer.concat(payloads.map(maskedBinaryFrame));
    const kept: Buffer[] = [];
    let reads = 0;
    let writes: { count: number } = { count: 0 };
    let bufferFromCalls = -1;
    server.on('connection', (ws, request: IncomingMessage) => {
      const socket = request.socket;
      socket.on('data', () => reads++);
      writes = countWrites(socket);
      const from = vi.spyOn(Buffer, 'from');
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        kept.push(data);
        ws.send(data, { binary: isBinary });
        if (kept.length === COUNT) {
          bufferFromCalls = from.mock.calls.length;
          from.mockRestore();
        }
      });
    });

    const { socket, rest } = await rawRequest(portOf(server), upgradeRequest());
    cleanup.push(() => {
      socket.destroy();
    });
    let received = rest;
    const echoed = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= expected.length) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
    socket.write(frames);
    await echoed;

    expect(received.equals(expected)).toBe(true);
    expect(kept).toHaveLength(COUNT);
    kept.forEach((data, n) => {
      expect(Buffer.isBuffer(data)).toBe(true);
      expect(Object.getPrototypeOf(data)).toBe(Buffer.prototype);
      expect(data.equals(payloads[n]!)).toBe(true);
    });
    // Replies leave in one write per read of the server's socket (the client's 30 KiB may
    // arrive in a few reads), never one per message.
    expect(writes.count).toBeGreaterThan(0);
    expect(writes.count).toBeLessThanOrEqual(reads);
    // Bun: Buffer's species constructor is Buffer itself (deprecated to call), so the adapter
    // falls back to Buffer.from there; on Node each message's Buffer is made once, directly.
    if (!onBun) expect(bufferFromCalls).toBe(0);
  });
});
