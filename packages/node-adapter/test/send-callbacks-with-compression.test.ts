/**
 * Send callbacks and ordering when permessage-deflate (node:zlib, asynchronous) is negotiated:
 * every callback runs once, in order, after its frame was written; messages, pings and the close
 * frame reach the peer in the order they were sent; pause() holds messages back while inflating.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function compressedPair(): Promise<{ client: WebSocket; peer: WebSocket }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
  cleanup.push(() => closeServer(server));
  await next(server, 'listening');
  const connected = next<[WebSocket]>(server, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${portOf(server)}`, { perMessageDeflate: { threshold: 0 } });
  cleanup.push(() => client.terminate());
  await next(client, 'open');
  const [peer] = await connected;
  expect(client.extensions).toBe('permessage-deflate');
  return { client, peer };
}

describe('send callbacks with permessage-deflate', () => {
  it('calls each callback once, in order, and the peer gets messages, pings and close in order', async () => {
    const { client, peer } = await compressedPair();
    const seen: string[] = [];
    peer.on('message', (data) => seen.push(`message ${String(data)}`));
    peer.on('ping', (data) => seen.push(`ping ${String(data)}`));
    const closed = new Promise<void>((resolve) =>
      peer.on('close', (code) => {
        seen.push(`close ${code}`);
        resolve();
      }),
    );
    const callbacks: Array<[number, Error | null | undefined]> = [];
    const all = new Promise<void>((resolve) => {
      for (let i = 0; i < 50; i++) {
        client.send(`message number ${i} `.repeat(20 + i), (error) => {
          callbacks.push([i, error]);
          if (callbacks.length === 50) resolve();
        });
        if (i === 25) client.ping('mid');
      }
    });
    client.close(1000);
    await all;
    await closed;
    expect(callbacks).toEqual(Array.from({ length: 50 }, (_, i) => [i, null])); // null once written, as ws
    const messages = seen.filter((entry) => entry.startsWith('message'));
    expect(messages).toEqual(Array.from({ length: 50 }, (_, i) => `message ${`message number ${i} `.repeat(20 + i)}`));
    expect(seen.indexOf('ping mid')).toBe(26);
    expect(seen.at(-1)).toBe('close 1000');
  });

  it('pause() holds compressed messages back until resume()', async () => {
    const { client, peer } = await compressedPair();
    const received: string[] = [];
    peer.on('message', (data) => received.push(String(data)));
    peer.pause();
    for (let i = 0; i < 5; i++) client.send(`hello ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
    peer.resume();
    while (received.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received).toEqual(['hello 0', 'hello 1', 'hello 2', 'hello 3', 'hello 4']);
  });
});
