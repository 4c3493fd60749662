/**
 * The topic API (µWebSockets' shape): `ws.subscribe/unsubscribe/isSubscribed/getTopics` and
 * `wss.publish`. Receivers are `ws` clients (a peer we did not write decodes every frame). Work
 * is counted, never timed: a publish builds one frame however many members the topic has, and
 * with permessage-deflate compresses once per window size.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import WebSocketPeer from 'ws';
import WebSocket, { type PerMessageDeflateOptions, WebSocketServer } from '@sansock/node';
import { closeServer, countWrites, next, portOf } from './helpers.js';

const servers: WebSocketServer[] = [];
const peers: WebSocketPeer[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) peer.terminate();
  for (const wss of servers.splice(0)) await closeServer(wss);
});

async function start(perMessageDeflate: boolean | PerMessageDeflateOptions = false) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(wss);
  await next(wss, 'listening');
  const sockets: WebSocket[] = [];
  const requests: IncomingMessage[] = [];
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    sockets.push(ws);
    requests.push(request);
  });
  return { wss, url: `ws://127.0.0.1:${portOf(wss)}`, sockets, requests };
}

/** Opens n `ws` clients, each collecting its messages, and waits until the server has them all. */
async function connect(url: string, sockets: WebSocket[], n: number, options?: WebSocketPeer.ClientOptions) {
  const before = sockets.length;
  const opened: Array<{ peer: WebSocketPeer; received: Array<{ data: string; binary: boolean }> }> = [];
  for (let i = 0; i < n; i++) {
    const peer = new WebSocketPeer(url, options);
    peers.push(peer);
    const received: Array<{ data: string; binary: boolean }> = [];
    peer.on('message', (data: Buffer, binary) => received.push({ data: binary ? data.toString('hex') : data.toString(), binary }));
    await next(peer, 'open');
    opened.push({ peer, received });
  }
  await expect.poll(() => sockets.length).toBe(before + n);
  return opened;
}

it('a publish reaches every member once, text and binary, from one frame', async () => {
  const { wss, url, sockets } = await start();
  const clients = await connect(url, sockets, 5);
  for (const ws of sockets.slice(0, 4)) expect(ws.subscribe('room')).toBe(true);
  expect(wss.numSubscribers('room')).toBe(4);
  expect(sockets[0]!.isSubscribed('room')).toBe(true);
  expect(sockets[4]!.isSubscribed('room')).toBe(false);

  expect(wss.publish('room', 'héllo')).toBe(4);
  expect(wss.publish('room', new Uint8Array([0, 1, 255]))).toBe(4);
  expect(wss.publish('room', 'as bytes', { binary: true })).toBe(4);
  expect(wss.publish('nobody-here', 'x')).toBe(0);
  expect(wss.publishCounters.framesBuilt).toBe(3); // one per publish, not one per member

  for (const { received } of clients.slice(0, 4)) {
    await expect.poll(() => received.length).toBe(3);
    expect(received).toEqual([
      { data: 'héllo', binary: false },
      { data: '0001ff', binary: true },
      { data: Buffer.from('as bytes').toString('hex'), binary: true },
    ]);
  }
  expect(clients[4]!.received).toEqual([]);
});

it('a published frame keeps its place among the socket\'s own sends', async () => {
  const { wss, url, sockets } = await start();
  const [client] = await connect(url, sockets, 1);
  const ws = sockets[0]!;
  ws.subscribe('t');
  ws.send('a');
  wss.publish('t', 'b');
  ws.send('c');
  // Inside a fragmented message, the published frame waits for its last fragment.
  ws.send('d1', { fin: false });
  wss.publish('t', 'e');
  ws.send('d2', { fin: true });
  await expect.poll(() => client!.received.length).toBe(5);
  expect(client!.received.map((m) => m.data)).toEqual(['a', 'b', 'c', 'd1d2', 'e']);
});

it('unsubscribe, getTopics, and a closed socket leaves every topic', async () => {
  const { wss, url, sockets } = await start();
  const clients = await connect(url, sockets, 2);
  for (const ws of sockets) {
    ws.subscribe('a');
    ws.subscribe('b');
  }
  expect(sockets[0]!.subscribe('a')).toBe(false);
  expect(sockets[0]!.unsubscribe('a')).toBe(true);
  expect(sockets[0]!.unsubscribe('a')).toBe(false);
  expect(sockets[0]!.getTopics()).toEqual(['b']);
  expect(wss.numSubscribers('a')).toBe(1);

  clients[1]!.peer.close();
  await next(sockets[1]!, 'close');
  expect(wss.numSubscribers('a')).toBe(0);
  expect(wss.numSubscribers('b')).toBe(1);
  expect(sockets[1]!.getTopics()).toEqual([]);
  expect(sockets[1]!.subscribe('a')).toBe(false); // closed: it would never leave
  expect(wss.publish('a', 'nobody')).toBe(0);
});

it('topics belong to a server: a client socket cannot subscribe', async () => {
  const { url, sockets } = await start();
  const client = new WebSocket(url);
  await next(client, 'open');
  expect(() => client.subscribe('room')).toThrow(expect.objectContaining({ code: 'WS_ERR_INVALID_STATE' }));
  expect(client.isSubscribed('room')).toBe(false);
  expect(client.getTopics()).toEqual([]);
  await expect.poll(() => sockets.length).toBe(1);
  client.terminate();
});

it('several publishes from one message listener are one socket write per member', async () => {
  const { wss, url, sockets, requests } = await start();
  const clients = await connect(url, sockets, 4);
  const writes = requests.map((request) => countWrites(request.socket as Socket));
  for (const ws of sockets) ws.subscribe('room');
  sockets[0]!.on('message', (data: Buffer) => {
    for (let i = 0; i < 5; i++) wss.publish('room', `${data.toString()} #${i}`);
  });
  const before = writes.map((w) => w.count);
  clients[0]!.peer.send('news');
  for (const { received } of clients) {
    await expect.poll(() => received.length).toBe(5);
    expect(received.map((m) => m.data)).toEqual([0, 1, 2, 3, 4].map((i) => `news #${i}`));
  }
  expect(writes.map((w, i) => w.count - before[i]!)).toEqual([1, 1, 1, 1]);
  expect(wss.publishCounters.framesBuilt).toBe(5);
});

it('publishes made outside any listener in one task are one socket write per member, counted in bufferedAmount meanwhile', async () => {
  const { wss, url, sockets, requests } = await start();
  const clients = await connect(url, sockets, 3);
  const writes = requests.map((request) => countWrites(request.socket as Socket));
  for (const ws of sockets) ws.subscribe('room');
  const before = writes.map((w) => w.count);
  await new Promise<void>((resolve) =>
    setImmediate(() => {
      for (let i = 0; i < 10; i++) wss.publish('room', `tick ${i}`);
      // Each 6-byte message has a 2-byte header: 10 × 8 bytes held for each member.
      expect(sockets.map((ws) => ws.bufferedAmount)).toEqual([80, 80, 80]);
      resolve();
    }),
  );
  for (const { received } of clients) {
    await expect.poll(() => received.length).toBe(10);
    expect(received.map((m) => m.data)).toEqual(Array.from({ length: 10 }, (_, i) => `tick ${i}`));
  }
  expect(writes.map((w, i) => w.count - before[i]!)).toEqual([1, 1, 1]);
});

it('permessage-deflate without server context takeover: compressed once per window size', async () => {
  const { wss, url, sockets } = await start({ serverNoContextTakeover: true, threshold: 0 });
  const big = 'x'.repeat(5000) + 'end';
  const clients = [
    ...(await connect(url, sockets, 3)), // 15-bit window
    ...(await connect(url, sockets, 2, { perMessageDeflate: { serverMaxWindowBits: 10 } })),
    ...(await connect(url, sockets, 1, { perMessageDeflate: false })),
  ];
  expect(sockets.map((ws) => ws.extensions)).toEqual([...Array(5).fill('permessage-deflate'), '']);
  for (const ws of sockets) ws.subscribe('room');
  wss.publish('room', big);
  wss.publish('room', Buffer.from(big));
  wss.publish('room', big, { compress: false });
  // Three shapes (15 bits, 10 bits, plain) per compressed publish, two of them compressed; then one plain frame.
  expect(wss.publishCounters).toEqual({ framesBuilt: 7, compressions: 4, perSocketSends: 0 });
  for (const { received } of clients) {
    await expect.poll(() => received.length).toBe(3);
    expect(received[0]).toEqual({ data: big, binary: false });
    expect(received[1]).toEqual({ data: Buffer.from(big).toString('hex'), binary: true });
    expect(received[2]).toEqual({ data: big, binary: false });
  }
});

it('permessage-deflate with context takeover: each such socket compresses for itself', async () => {
  const { wss, url, sockets } = await start({ threshold: 0 });
  const clients = await connect(url, sockets, 3);
  for (const ws of sockets) ws.subscribe('room');
  for (let i = 0; i < 3; i++) wss.publish('room', `message ${i} `.repeat(200));
  expect(wss.publishCounters).toEqual({ framesBuilt: 0, compressions: 0, perSocketSends: 9 });
  for (const { received } of clients) {
    await expect.poll(() => received.length).toBe(3);
    expect(received.map((m) => m.data.slice(0, 10))).toEqual(['message 0 ', 'message 1 ', 'message 2 ']);
  }
});

it('messages under the threshold share one uncompressed frame', async () => {
  const { wss, url, sockets } = await start({ serverNoContextTakeover: true }); // threshold 1024, like ws
  const clients = await connect(url, sockets, 3);
  for (const ws of sockets) ws.subscribe('room');
  wss.publish('room', 'short');
  expect(wss.publishCounters).toEqual({ framesBuilt: 1, compressions: 0, perSocketSends: 0 });
  for (const { received } of clients) await expect.poll(() => received.map((m) => m.data)).toEqual(['short']);
});

it('publish refuses a Blob (it is read asynchronously) with a TypeError', async () => {
  const { wss } = await start();
  expect(() => wss.publish('room', new Blob(['x']) as unknown as string)).toThrow(TypeError);
});

