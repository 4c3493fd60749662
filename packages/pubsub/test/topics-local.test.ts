import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type WebSocket as SansockSocket, WebSocketServer } from '@sansock/node';
import { PubSub } from '@sansock/pubsub';

/**
 * Local topics on one server, with `ws` clients as the receivers (a peer we did not write
 * decodes every frame). Work is counted, never timed: a publish builds one frame, however many
 * members the topic has.
 */

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const wss of servers.splice(0)) {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
});

async function start(perMessageDeflate: boolean | object = false): Promise<{ wss: WebSocketServer; url: string; sockets: SansockSocket[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(wss);
  await once(wss, 'listening');
  const sockets: SansockSocket[] = [];
  wss.on('connection', (ws) => sockets.push(ws));
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, sockets };
}

/** Opens n ws clients (each collecting its messages) and waits until the server has them all. */
async function clients(url: string, sockets: SansockSocket[], n: number, options?: WebSocket.ClientOptions) {
  const before = sockets.length;
  const opened = [];
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(url, options);
    const received: Array<{ data: string; binary: boolean }> = [];
    ws.on('message', (data: Buffer, binary) => received.push({ data: binary ? data.toString('hex') : data.toString(), binary }));
    await once(ws, 'open');
    opened.push({ ws, received });
  }
  await expect.poll(() => sockets.length).toBe(before + n);
  return opened;
}

it('a publish reaches every member once, text and binary, from one frame built once', async () => {
  const { url, sockets } = await start();
  const peers = await clients(url, sockets, 5);
  const pubsub = new PubSub();
  for (const ws of sockets.slice(0, 4)) pubsub.subscribe(ws, 'room');
  expect(pubsub.topics.memberCount('room')).toBe(4);

  expect(pubsub.publish('room', 'héllo')).toBe(4);
  expect(pubsub.publish('room', new Uint8Array([0, 1, 255]))).toBe(4);
  expect(pubsub.topics.counters.framesBuilt).toBe(2); // one per publish, not one per member

  for (const { received } of peers.slice(0, 4)) {
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual([
      { data: 'héllo', binary: false },
      { data: '0001ff', binary: true },
    ]);
  }
  expect(peers[4]!.received).toEqual([]);
  for (const { ws } of peers) ws.close();
});

it('the shared frame keeps its place among a socket\'s own sends', async () => {
  const { url, sockets } = await start();
  const [peer] = await clients(url, sockets, 1);
  const ws = sockets[0]!;
  const pubsub = new PubSub();
  pubsub.subscribe(ws, 't');
  ws.send('a');
  pubsub.publish('t', 'b');
  ws.send('c');
  // Inside a fragmented message, the published frame waits for its last fragment.
  ws.send('d1', { fin: false });
  pubsub.publish('t', 'e');
  ws.send('d2', { fin: true });
  await expect.poll(() => peer!.received.length).toBe(5);
  expect(peer!.received.map((m) => m.data)).toEqual(['a', 'b', 'c', 'd1d2', 'e']);
  peer!.ws.close();
});

it('unsubscribe, and close leaves every topic', async () => {
  const { url, sockets } = await start();
  const peers = await clients(url, sockets, 2);
  const pubsub = new PubSub();
  for (const ws of sockets) {
    pubsub.subscribe(ws, 'a');
    pubsub.subscribe(ws, 'b');
  }
  expect(pubsub.subscribe(sockets[0]!, 'a')).toBe(false);
  expect(pubsub.unsubscribe(sockets[0]!, 'a')).toBe(true);
  expect(pubsub.topics.topicsOf(sockets[0]!)).toEqual(['b']);
  expect(pubsub.topics.memberCount('a')).toBe(1);

  peers[1]!.ws.close();
  await once(sockets[1]!, 'close');
  expect(pubsub.topics.memberCount('a')).toBe(0);
  expect(pubsub.topics.memberCount('b')).toBe(1);
  expect(pubsub.topics.topicNames()).toEqual(['b']);
  expect(pubsub.publish('a', 'nobody')).toBe(0);
  peers[0]!.ws.close();
  await once(sockets[0]!, 'close');
  expect(pubsub.topics.topicNames()).toEqual([]);
});

it('permessage-deflate without server context takeover: compressed once per window size', async () => {
  const { url, sockets } = await start({ serverNoContextTakeover: true, threshold: 0 });
  const big = 'x'.repeat(5000) + 'end';
  const peers = [
    ...(await clients(url, sockets, 3)), // 15-bit window
    ...(await clients(url, sockets, 2, { perMessageDeflate: { serverMaxWindowBits: 10 } })),
    ...(await clients(url, sockets, 1, { perMessageDeflate: false })),
  ];
  expect(sockets.map((ws) => ws.extensions)).toEqual(['permessage-deflate', 'permessage-deflate', 'permessage-deflate', 'permessage-deflate', 'permessage-deflate', '']);
  const pubsub = new PubSub();
  for (const ws of sockets) pubsub.subscribe(ws, 'room');
  pubsub.publish('room', big);
  pubsub.publish('room', Buffer.from(big));
  // Three shapes (15 bits, 10 bits, plain) per publish; two of them compressed.
  expect(pubsub.topics.counters).toEqual({ framesBuilt: 6, compressions: 4, perSocketSends: 0 });
  for (const { received } of peers) {
    await expect.poll(() => received.length).toBe(2);
    expect(received[0]).toEqual({ data: big, binary: false });
    expect(received[1]).toEqual({ data: Buffer.from(big).toString('hex'), binary: true });
  }
  for (const { ws } of peers) ws.close();
});

it('permessage-deflate with context takeover: each such socket compresses for itself', async () => {
  const { url, sockets } = await start({ threshold: 0 });
  const peers = await clients(url, sockets, 3);
  const pubsub = new PubSub();
  for (const ws of sockets) pubsub.subscribe(ws, 'room');
  for (let i = 0; i < 3; i++) pubsub.publish('room', `message ${i} `.repeat(200));
  expect(pubsub.topics.counters).toEqual({ framesBuilt: 0, compressions: 0, perSocketSends: 9 });
  // Short messages (under the threshold) still share one uncompressed frame.
  pubsub.publish('room', 'hi');
  expect(pubsub.topics.counters.framesBuilt).toBe(1);
  for (const { received } of peers) {
    await expect.poll(() => received.length).toBe(4);
    expect(received.map((m) => m.data.slice(0, 10))).toEqual(['message 0 ', 'message 1 ', 'message 2 ', 'hi']);
  }
  for (const { ws } of peers) ws.close();
});
