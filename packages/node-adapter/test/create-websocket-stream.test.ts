/**
 * createWebSocketStream: the WebSocket as a Duplex. pipeline() in both directions, with
 * backpressure: a slow consumer pauses the WebSocket, and writes wait once the WebSocket's
 * send high-water mark is reached.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer, createWebSocketStream } from '@sansock/node';
import { closeServer, delay, next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function pair(clientOptions: { sendHighWaterMark?: number } = {}): Promise<{ client: WebSocket; peer: WebSocket }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => closeServer(server));
  await next(server, 'listening');
  const connected = next<[WebSocket]>(server, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${portOf(server)}`, clientOptions);
  cleanup.push(() => client.terminate());
  await next(client, 'open');
  const [peer] = await connected;
  return { client, peer };
}

describe('createWebSocketStream', () => {
  it('pipes a readable into the WebSocket and the other side out of it, ending with a close', async () => {
    const { client, peer } = await pair();
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.alloc(64 * 1024, i % 256));
    const received: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        callback();
      },
    });
    const serverSide = pipeline(createWebSocketStream(peer), sink);
    await pipeline(Readable.from(chunks), createWebSocketStream(client));
    await serverSide;
    expect(Buffer.concat(received).equals(Buffer.concat(chunks))).toBe(true);
    // Like `ws`, the writable side finishes once our side of TCP is closed; 'close' follows.
    await expect.poll(() => client.readyState).toBe(WebSocket.CLOSED);
  });

  it('a slow consumer pauses the WebSocket (backpressure on the readable side)', async () => {
    const { client, peer } = await pair();
    const duplex = createWebSocketStream(peer, { highWaterMark: 1024 });
    let pausedSeen = false;
    const received: number[] = [];
    const slowSink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.length);
        if (peer.isPaused) pausedSeen = true;
        setTimeout(callback, 2);
      },
    });
    const done = pipeline(duplex, slowSink);
    for (let i = 0; i < 50; i++) client.send(Buffer.alloc(4096, 1));
    while (received.length < 50) await delay(5);
    expect(pausedSeen).toBe(true);
    client.close();
    await done;
    expect(received.reduce((a, b) => a + b, 0)).toBe(50 * 4096);
  });

  it('write callbacks follow the send high-water mark; stream writes are binary; text arrives as strings in object mode', async () => {
    const { client, peer } = await pair();
    const duplex = createWebSocketStream(client);
    const readable = createWebSocketStream(peer, { readableObjectMode: true });
    const chunks: unknown[] = [];
    readable.on('data', (chunk: unknown) => chunks.push(chunk));
    const written = new Promise<void>((resolve, reject) => duplex.write('hello', (error) => (error ? reject(error) : resolve())));
    // Far below the WebSocket's sendHighWaterMark: the write completes without waiting.
    await written;
    client.send('text frame');
    while (chunks.length < 2) await delay(2);
    expect(Buffer.isBuffer(chunks[0]) && String(chunks[0])).toBe('hello');
    expect(chunks[1]).toBe('text frame');
    duplex.destroy();
    await next(client, 'close');
    expect(client.readyState).toBe(WebSocket.CLOSED);
  });

  it('writes wait at the send high-water mark: a paused peer holds the source back, not our memory', async () => {
    const MiB = 1024 * 1024;
    const { client, peer } = await pair({ sendHighWaterMark: MiB });
    peer.pause();
    const CHUNK = 64 * 1024;
    const TOTAL = 64 * MiB;
    let produced = 0;
    const source = new Readable({
      read() {
        this.push(produced < TOTAL ? Buffer.alloc(CHUNK, 5) : null);
        produced += CHUNK;
      },
    });
    let received = 0;
    peer.on('message', (data: Buffer) => (received += data.length));
    const duplex = createWebSocketStream(client);
    source.pipe(duplex);
    // The peer reads nothing: the source stops once the kernel's buffers, the socket's queue up
    // to the mark and the streams' own small buffers are full.
    await expect.poll(() => client.bufferedAmount > MiB, { timeout: 30_000, interval: 10 }).toBe(true);
    const producedWhenFull = produced;
    await delay(100);
    expect(produced).toBe(producedWhenFull);
    expect(produced).toBeLessThan(TOTAL);
    expect(client.bufferedAmount).toBeLessThanOrEqual(MiB + CHUNK);
    peer.resume();
    await expect.poll(() => received, { timeout: 60_000, interval: 10 }).toBe(TOTAL);
  }, 90_000);
});
