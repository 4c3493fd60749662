/**
 * `wss.publish` batches a task's uncompressed publishes (topics/publish-batch.ts): each member
 * gets one Buffer per task, joined once and shared by every member of the topic, and one socket
 * write; a member's own sends, pings, close, subscription changes and compressed publishes in
 * the same task keep their order with the published frames. Over real sockets to `ws` clients:
 * the work is counted (the Buffers handed to each server socket), the order is what they receive.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import WebSocketPeer from 'ws';
import { type WebSocket, WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: WebSocketServer[] = [];
const peers: WebSocketPeer[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) peer.terminate();
  for (const wss of servers.splice(0)) await closeServer(wss);
});

interface Member {
  readonly ws: WebSocket;
  /** Every chunk the server socket was asked to write (Buffer identity tells a shared one from a copy). */
  readonly written: Buffer[];
  /** Messages the `ws` client received, as text. */
  readonly received: string[];
}

async function start(n: number, perMessageDeflate: boolean | object = false) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(wss);
  await next(wss, 'listening');
  const accepted: Array<{ ws: WebSocket; written: Buffer[] }> = [];
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const socket = request.socket as Socket;
    const written: Buffer[] = [];
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    (socket as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
      written.push(chunk as Buffer);
      return write(chunk, ...rest);
    };
    accepted.push({ ws, written });
  });
  const members: Member[] = [];
  for (let i = 0; i < n; i++) {
    const peer = new WebSocketPeer(`ws://127.0.0.1:${portOf(wss)}`, { perMessageDeflate: perMessageDeflate !== false });
    peers.push(peer);
    const received: string[] = [];
    peer.on('message', (data: Buffer) => received.push(data.toString()));
    await next(peer, 'open');
    await expect.poll(() => accepted.length).toBe(i + 1);
    members.push({ ...accepted[i]!, received });
  }
  return { wss, members };
}

it('a task of publishes costs each member one write of one Buffer, joined once for the whole topic', async () => {
  const { wss, members } = await start(4);
  for (const { ws } of members) ws.subscribe('room');
  const writtenBefore = members.map((m) => m.written.length);
  await new Promise<void>((resolve) =>
    setImmediate(() => {
      for (let i = 0; i < 20; i++) expect(wss.publish('room', `m${i}`)).toBe(4);
      resolve();
    }),
  );
  const expected = Array.from({ length: 20 }, (_, i) => `m${i}`);
  for (const { received } of members) await expect.poll(() => received).toEqual(expected);
  const chunks = members.map((m, i) => m.written.slice(writtenBefore[i]));
  for (const list of chunks) expect(list).toHaveLength(1);
  // The same Buffer object for every member: one copy of the 20 frames, not one per member.
  for (const list of chunks) expect(list[0]).toBe(chunks[0]![0]);
  expect(wss.publishCounters.framesBuilt).toBe(20);
});

it("a member's own sends, pings, subscription changes and close keep their place among publishes of the same task", async () => {
  const { wss, members } = await start(3);
  const [a, b, c] = members as [Member, Member, Member];
  a.ws.subscribe('t');
  b.ws.subscribe('t');
  b.ws.subscribe('u');
  await new Promise<void>((resolve) =>
    setImmediate(() => {
      wss.publish('t', 't1');
      a.ws.send('a-own');
      wss.publish('u', 'u1');
      c.ws.subscribe('t'); // joins after t1: gets t2 on
      wss.publish('t', 't2');
      b.ws.unsubscribe('t'); // leaves after t2: had t1 and t2
      wss.publish('t', 't3');
      wss.publish('u', 'u2');
      a.ws.close(1000, 'bye'); // after t3, before t4: t4 is not for a closing socket
      expect(wss.publish('t', 't4')).toBe(1); // c only: a is closing, b left
      resolve();
    }),
  );
  await expect.poll(() => a.received).toEqual(['t1', 'a-own', 't2', 't3']);
  await expect.poll(() => b.received).toEqual(['t1', 'u1', 't2', 'u2']);
  await expect.poll(() => c.received).toEqual(['t2', 't3', 't4']);
});

it('a compressed publish after plain ones in the same task comes after them', async () => {
  const { wss, members } = await start(2, { serverNoContextTakeover: true, threshold: 100 });
  for (const { ws } of members) ws.subscribe('room');
  const big = 'z'.repeat(500);
  await new Promise<void>((resolve) =>
    setImmediate(() => {
      wss.publish('room', 'small 1');
      wss.publish('room', big);
      wss.publish('room', 'small 2');
      resolve();
    }),
  );
  for (const { received } of members) await expect.poll(() => received).toEqual(['small 1', big, 'small 2']);
  expect(wss.publishCounters.compressions).toBe(1);
});

/** One step of a task: a publish to a topic, a member's own send, or a (un)subscription. */
type Step =
  | { readonly kind: 'publish'; readonly topic: 'x' | 'y' }
  | { readonly kind: 'send'; readonly member: number }
  | { readonly kind: 'subscribe' | 'unsubscribe'; readonly member: number; readonly topic: 'x' | 'y' };

const topicArb = fc.constantFrom<'x' | 'y'>('x', 'y');
const memberArb = fc.integer({ min: 0, max: 2 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('publish' as const), topic: topicArb }),
  fc.record({ kind: fc.constant('send' as const), member: memberArb }),
  fc.record({ kind: fc.constantFrom('subscribe' as const, 'unsubscribe' as const), member: memberArb, topic: topicArb }),
);

it('any task of publishes, own sends and subscription changes reaches each member in call order (property)', async () => {
  const { wss, members } = await start(3);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
      run++;
      const expected: string[][] = members.map(() => []);
      const before = members.map((m) => m.received.length);
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          steps.forEach((step, i) => {
            const text = `${run}.${i}`;
            if (step.kind === 'publish') {
              wss.publish(step.topic, text);
              members.forEach((m, j) => {
                if (m.ws.isSubscribed(step.topic)) expected[j]!.push(text);
              });
            } else if (step.kind === 'send') {
              members[step.member]!.ws.send(text);
              expected[step.member]!.push(text);
            } else {
              members[step.member]!.ws[step.kind](step.topic);
            }
          });
          resolve();
        }),
      );
      for (let j = 0; j < members.length; j++) {
        await expect.poll(() => members[j]!.received.slice(before[j])).toEqual(expected[j]);
      }
    }),
    { numRuns: 40 },
  );
});
