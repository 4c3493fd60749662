/**
 * Send backpressure: `send()` returns false once `bufferedAmount` is past `sendHighWaterMark`,
 * and 'drain' follows when it is back at or below. The documented loop
 * (`if (!ws.send(chunk)) await once(ws, 'drain')`) sends 1 GiB from a server to a slow client
 * and the sender's queue and memory stay bounded (a sender that ignored the result would queue
 * most of the GiB in its socket).
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const MiB = 1024 * 1024;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function connectedPair(serverOptions: { sendHighWaterMark?: number } = {}): Promise<{ server: WebSocketServer; peer: WebSocket; client: WebSocket }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...serverOptions });
  cleanup.push(() => closeServer(server));
  await next(server, 'listening');
  const connected = next<[WebSocket]>(server, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${portOf(server)}`, { perMessageDeflate: false });
  cleanup.push(() => client.terminate());
  await next(client, 'open');
  const [peer] = await connected;
  return { server, peer, client };
}

describe('send high-water mark', () => {
  it('defaults to 16 MiB; send() returns true below it, false past it, and drain follows once', async () => {
    const { peer, client } = await connectedPair();
    expect(peer.sendHighWaterMark).toBe(16 * MiB);
    expect(client.send('small')).toBe(true);
    // The client stops reading: the server's bytes pile up in its own socket.
    client.pause();
    const chunk = Buffer.alloc(4 * MiB, 1);
    const results: boolean[] = [];
    while (!results.includes(false)) results.push(peer.send(chunk));
    expect(results.at(-1)).toBe(false);
    expect(peer.bufferedAmount).toBeGreaterThan(16 * MiB);
    let drains = 0;
    peer.on('drain', () => drains++);
    const drained = once(peer, 'drain');
    client.resume();
    await drained;
    expect(peer.bufferedAmount).toBeLessThanOrEqual(16 * MiB);
    expect(drains).toBe(1);
    expect(peer.send('more')).toBe(true);
  });

  it('is configurable per socket (0 means: false whenever anything is queued), and a bad value throws', async () => {
    const { peer, client } = await connectedPair({ sendHighWaterMark: 0 });
    expect(peer.sendHighWaterMark).toBe(0);
    client.pause();
    const big = Buffer.alloc(8 * MiB, 2);
    expect(peer.send(big)).toBe(false);
    const drained = once(peer, 'drain');
    client.resume();
    await drained;
    expect(peer.bufferedAmount).toBe(0);
    expect(() => new WebSocketServer({ noServer: true, sendHighWaterMark: -1 })).toThrow(/sendHighWaterMark/);
    expect(() => new WebSocket('ws://127.0.0.1:1', { sendHighWaterMark: Number.NaN })).toThrow(/sendHighWaterMark/);
  });

  it('send() after close returns false', async () => {
    const { peer, client } = await connectedPair();
    client.close();
    await next(peer, 'close');
    expect(peer.send('late')).toBe(false);
  });

  it('the documented loop sends 1 GiB to a slow reader with the sender bounded by the mark', async () => {
    const { peer, client } = await connectedPair({ sendHighWaterMark: 8 * MiB });
    const TOTAL = 1024 * MiB;
    const CHUNK = 4 * MiB;
    const chunk = Buffer.alloc(CHUNK, 3);

    // The slow reader: after each message it stops reading until the next turn of the event loop.
    let received = 0;
    const allReceived = new Promise<void>((resolve) => {
      client.on('message', (data: Buffer) => {
        received += data.length;
        if (received === TOTAL) resolve();
        client.pause();
        setImmediate(() => client.resume());
      });
    });

    const before = process.memoryUsage();
    let peakBuffered = 0;
    let peakArrayBuffers = 0;
    let waits = 0;
    for (let sent = 0; sent < TOTAL; sent += CHUNK) {
      if (!peer.send(chunk)) {
        waits++;
        await once(peer, 'drain');
      }
      peakBuffered = Math.max(peakBuffered, peer.bufferedAmount);
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers - before.arrayBuffers);
    }
    await allReceived;
    const rssGrowth = process.memoryUsage().rss - before.rss;

    expect(received).toBe(TOTAL);
    // The sender waited (the reader was slower) and never queued more than the mark plus one chunk.
    expect(waits).toBeGreaterThan(0);
    expect(peakBuffered).toBeLessThanOrEqual(8 * MiB + CHUNK);
    // Memory: a sender that ignored send()'s result would hold hundreds of MiB here. The bounds
    // are generous (the reader's side and the collector's timing count too).
    expect(peakArrayBuffers).toBeLessThan(128 * MiB);
    expect(rssGrowth).toBeLessThan(256 * MiB);
  }, 120_000);
});
