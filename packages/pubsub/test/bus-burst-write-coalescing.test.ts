/**
 * A bus hands over a burst of messages (one read of its socket) outside any socket's listeners;
 * PubSub holds the members' writes until the burst is over, so each member's TCP socket gets one
 * write for the whole burst, not one per message. Counted on the server-side sockets (`_write` /
 * `_writev`, one call per batch handed to the OS), with an in-memory bus.
 */
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebSocketServer } from '@sansock/node';
import { type Bus, PubSub, encodeEnvelope } from '@sansock/pubsub';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function countWrites(socket: Socket): { count: number } {
  const counter = { count: 0 };
  const writable = socket as Socket & { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
  const write = writable._write.bind(socket);
  writable._write = (...args: unknown[]) => {
    counter.count++;
    write(...args);
  };
  const writev = writable._writev?.bind(socket);
  if (writev !== undefined) {
    writable._writev = (...args: unknown[]) => {
      counter.count++;
      writev(...args);
    };
  }
  return counter;
}

/** A bus whose "remote" messages the test injects, several in one synchronous burst. */
function memoryBus(): Bus & { inject(envelopes: Uint8Array[]): void } {
  let receive: ((envelope: Uint8Array) => void) | undefined;
  return {
    publish() {},
    async start(handler) {
      receive = handler;
    },
    async close() {},
    dropped: 0,
    inject(envelopes) {
      for (const envelope of envelopes) receive!(envelope);
    },
  };
}

it('a burst of bus messages costs each member one socket write', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await once(wss, 'listening');
  const bus = memoryBus();
  const pubsub = new PubSub({ server: wss, bus });
  await pubsub.whenReady();
  const writes: Array<{ count: number }> = [];
  wss.on('connection', (ws, request) => {
    writes.push(countWrites(request.socket as Socket));
    ws.subscribe('room');
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const clients: Array<{ ws: WebSocket; received: string[] }> = [];
  for (let i = 0; i < 3; i++) {
    const ws = new WebSocket(url);
    const received: string[] = [];
    ws.on('message', (data: Buffer) => received.push(data.toString()));
    cleanup.push(() => ws.terminate());
    await once(ws, 'open');
    clients.push({ ws, received });
  }
  await expect.poll(() => wss.numSubscribers('room')).toBe(3);
  const before = writes.map((w) => w.count);

  const remote = new Uint8Array(8).fill(9); // another process's publisher id
  const encoder = new TextEncoder();
  bus.inject(Array.from({ length: 20 }, (_, i) => encodeEnvelope({ publisher: remote, topic: 'room', payload: encoder.encode(`m${i}`), binary: false })));

  for (const { received } of clients) {
    await expect.poll(() => received.length).toBe(20);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
  }
  expect(writes.map((w, i) => w.count - before[i]!)).toEqual([1, 1, 1]);
  expect(wss.publishCounters.framesBuilt).toBe(20);
});
