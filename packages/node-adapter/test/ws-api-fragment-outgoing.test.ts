/**
 * The `fragmentOutgoing` option of the ws-style API (not in `ws`): messages longer than the
 * threshold leave as several frames (RFC 6455 §5.4), the mechanism WebSocket-Node's
 * `fragmentationThreshold` uses too (the core's `fragmentSize`). A raw socket sees the frames;
 * the real `ws` package still gets whole messages, compressed or not.
 */
import { once } from 'node:events';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { WebSocket, WebSocketServer } from '@sansock/node';
import { next, rawRequest, rawServer, upgradeRequest } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

interface WireFrame {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  payload: Buffer;
}

/** Reads whole frames from a raw socket (unmasking client frames) until `until` says the list is complete. */
async function readFrames(socket: net.Socket, first: Buffer, until: (frames: WireFrame[]) => boolean): Promise<WireFrame[]> {
  const frames: WireFrame[] = [];
  let buffered = first;
  for (;;) {
    for (;;) {
      if (buffered.length < 2) break;
      const masked = (buffered[1]! & 0x80) !== 0;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) break;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) break;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const keyAt = offset;
      if (masked) offset += 4;
      if (buffered.length < offset + length) break;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buffered[keyAt + (i & 3)]!;
      frames.push({ fin: (buffered[0]! & 0x80) !== 0, rsv1: (buffered[0]! & 0x40) !== 0, opcode: buffered[0]! & 0x0f, payload });
      buffered = buffered.subarray(offset + length);
    }
    if (until(frames)) return frames;
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    buffered = Buffer.concat([buffered, chunk]);
  }
}

const untilMessages = (count: number) => (frames: WireFrame[]) => frames.filter((frame) => frame.fin).length >= count;
const shape = (frames: WireFrame[]) => frames.map((frame) => [frame.opcode, frame.fin, frame.payload.length]);

async function ourServer(options: ConstructorParameters<typeof WebSocketServer>[0]): Promise<{ server: WebSocketServer; port: number }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  await next(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

describe('ws API fragmentOutgoing', () => {
  it('our server splits messages above the threshold into frames of at most that size (a raw client sees them)', async () => {
    const { server, port } = await ourServer({ fragmentOutgoing: { threshold: 1000 } });
    const connection = next<[WebSocket]>(server, 'connection');
    const { socket, head, rest } = await rawRequest(port, upgradeRequest());
    cleanup.push(() => void socket.destroy());
    expect(head).toMatch(/^HTTP\/1\.1 101/);
    const [ours] = await connection;
    const binary = Buffer.alloc(4500, 7);
    ours.send(binary);
    ours.send('x'.repeat(2500));
    ours.send(Buffer.alloc(1000, 1)); // at the threshold: one frame
    const frames = await readFrames(socket, rest, untilMessages(3));
    expect(shape(frames)).toEqual([
      [2, false, 1000],
      [0, false, 1000],
      [0, false, 1000],
      [0, false, 1000],
      [0, true, 500],
      [1, false, 1000],
      [0, false, 1000],
      [0, true, 500],
      [2, true, 1000],
    ]);
    expect(Buffer.concat(frames.slice(0, 5).map((frame) => frame.payload)).equals(binary)).toBe(true);
  });

  it('the ws client gets the whole messages, plain and compressed', async () => {
    const random = Buffer.alloc(10_000);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    for (const perMessageDeflate of [false, true]) {
      const { server, port } = await ourServer({ fragmentOutgoing: { threshold: 100 }, perMessageDeflate });
      server.on('connection', (ws) =>
        ws.on('message', () => {
          ws.send(random);
          ws.send('é'.repeat(3000));
        }),
      );
      const client = new wsPackage.WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate });
      cleanup.push(() => client.terminate());
      await next(client, 'open');
      expect(client.extensions.includes('permessage-deflate')).toBe(perMessageDeflate);
      const received = new Promise<Array<[Buffer, boolean]>>((resolve) => {
        const seen: Array<[Buffer, boolean]> = [];
        client.on('message', (data: Buffer, isBinary: boolean) => {
          seen.push([data, isBinary]);
          if (seen.length === 2) resolve(seen);
        });
      });
      client.send('go');
      const messages = await received;
      expect(messages[0]![0].equals(random)).toBe(true);
      expect(messages[0]![1]).toBe(true);
      expect(messages[1]![0].toString()).toBe('é'.repeat(3000));
      expect(messages[1]![1]).toBe(false);
    }
  });

  it('our client splits its (masked) messages too, and the ws server gets them whole', async () => {
    const raw = await rawServer();
    cleanup.push(() => raw.close());
    const client = new WebSocket(`ws://127.0.0.1:${raw.port}`, { fragmentOutgoing: { threshold: 64 } });
    cleanup.push(() => client.terminate());
    await next(client, 'open');
    const [socket] = [...raw.sockets];
    client.send(Buffer.alloc(200, 3));
    const frames = await readFrames(socket!, Buffer.alloc(0), untilMessages(1));
    expect(shape(frames)).toEqual([
      [2, false, 64],
      [0, false, 64],
      [0, false, 64],
      [0, true, 8],
    ]);
    expect(frames.every((frame) => frame.payload.equals(Buffer.alloc(frame.payload.length, 3)))).toBe(true);

    const server = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const received = new Promise<Buffer>((resolve) =>
      server.on('connection', (peer) => {
        cleanup.push(() => peer.terminate());
        peer.on('message', (data: Buffer) => resolve(data));
      }),
    );
    const second = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { fragmentOutgoing: { threshold: 64 } });
    cleanup.push(() => second.terminate());
    await next(second, 'open');
    const big = Buffer.alloc(100_000, 9);
    second.send(big);
    expect((await received).equals(big)).toBe(true);
  });
});
