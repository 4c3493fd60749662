/**
 * Presence's repair rules, in one process with an in-memory bus between two PubSubs (the
 * multi-process behaviour over real Redis/NATS is in cluster-suite.ts): a change lost on the bus
 * is noticed from the change numbers and repaired by asking for the process's state; a process
 * that closes is dropped at once; malformed traffic on the channel is ignored. No timing: the
 * heartbeat is made long and the test drives every message.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { encodeEnvelope } from '@sansock/pubsub';
import { type MemoryHub, memoryHub, processOn as onHub } from './memory-hub.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function processOn(hub: MemoryHub, index: number) {
  const process = await onHub(hub, index);
  closers.push(() => process.presence.close());
  return process;
}

it('joins and leaves reach the other process; a member on both stays until its last leave', async () => {
  const hub = memoryHub();
  const a = await processOn(hub, 0);
  const b = await processOn(hub, 1);
  hub.settle();
  a.presence.join('lobby', 'alice');
  b.presence.join('lobby', 'bob');
  b.presence.join('lobby', 'alice');
  hub.settle();
  expect(a.presence.members('lobby').sort()).toEqual(['alice', 'bob']);
  expect(b.presence.count('lobby')).toBe(2);
  expect(a.events).toEqual(['join lobby alice', 'join lobby bob']);
  a.presence.leave('lobby', 'alice');
  hub.settle();
  expect(b.presence.members('lobby').sort()).toEqual(['alice', 'bob']);
  b.presence.leave('lobby', 'alice');
  hub.settle();
  expect(a.presence.members('lobby')).toEqual(['bob']);
  expect(a.events.at(-1)).toBe('leave lobby alice');
});

it('a lost change is noticed from the next change number and repaired from the state', async () => {
  const hub = memoryHub();
  const a = await processOn(hub, 0);
  const b = await processOn(hub, 1);
  hub.settle();
  b.presence.join('lobby', 'bob');
  hub.settle();
  hub.drop(1, 2); // bob's leave and carol's join never reach a
  b.presence.leave('lobby', 'bob');
  b.presence.join('lobby', 'carol');
  hub.settle();
  expect(a.presence.members('lobby')).toEqual(['bob']); // a does not know yet
  b.presence.join('lobby', 'dave'); // change 4 after 1: a asks b for its state
  hub.settle();
  expect(a.presence.members('lobby').sort()).toEqual(['carol', 'dave']);
  expect(a.events).toEqual(['join lobby bob', 'join lobby dave', 'join lobby carol', 'leave lobby bob']);
});

it('a process that closes says goodbye: its members leave at once', async () => {
  const hub = memoryHub();
  const a = await processOn(hub, 0);
  const b = await processOn(hub, 1);
  hub.settle();
  b.presence.join('lobby', 'bob');
  b.presence.join('kitchen', 'bob');
  hub.settle();
  expect(a.presence.rooms().sort()).toEqual(['kitchen', 'lobby']);
  b.presence.close();
  hub.settle();
  expect(a.presence.rooms()).toEqual([]);
  expect(a.events.filter((e) => e.startsWith('leave')).sort()).toEqual(['leave kitchen bob', 'leave lobby bob']);
  expect(() => b.presence.join('lobby', 'bob')).toThrow('Presence is closed');
});

it('malformed presence traffic on the bus is ignored', async () => {
  const hub = memoryHub();
  const a = await processOn(hub, 0);
  hub.settle();
  const stranger = new Uint8Array(8).fill(7);
  const encoder = new TextEncoder();
  for (const body of ['not json', '{"t":"join","v":1,"room":5,"member":"x"}', '{"t":"state","v":1,"ttl":5,"rooms":{"r":[1]}}', '{"t":"what"}', 'null']) {
    hub.inject(encodeEnvelope({ publisher: stranger, topic: '', payload: encoder.encode(body), binary: true, kind: 2 }));
  }
  hub.inject(encodeEnvelope({ publisher: stranger, topic: '', payload: encoder.encode('{"t":"join","v":1,"room":"__proto__","member":"x"}'), binary: true, kind: 2 }));
  hub.settle();
  expect(a.presence.members('__proto__')).toEqual(['x']);
  expect(a.presence.rooms()).toEqual(['__proto__']);
});

it('track: a socket leaves on close, and a socket already closed is not tracked', async () => {
  const hub = memoryHub();
  const a = await processOn(hub, 0);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  closers.push(() => wss.close());
  await once(wss, 'listening');
  const accepted = once(wss, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const [[ws]] = (await Promise.all([accepted, once(client, 'open')])) as [[WebSocket], unknown];
  expect(a.presence.track(ws, 'lobby', 'alice')).toBe(true);
  expect(a.presence.members('lobby')).toEqual(['alice']);
  client.close();
  await once(ws, 'close');
  expect(a.presence.members('lobby')).toEqual([]);
  expect(a.presence.track(ws, 'lobby', 'alice')).toBe(false);
  expect(a.presence.members('lobby')).toEqual([]);
  expect(a.events).toEqual(['join lobby alice', 'leave lobby alice']);
});

it('a process whose event loop was blocked longer than the TTL does not drop the others (its silence, not theirs)', async () => {
  const hub = memoryHub();
  const timing = { heartbeatInterval: 100, ttl: 1000 };
  const a = await onHub(hub, 0, timing);
  const b = await onHub(hub, 1, timing);
  closers.push(() => a.presence.close(), () => b.presence.close());
  hub.settle();
  b.presence.join('lobby', 'bob');
  hub.settle();
  expect(a.presence.members('lobby')).toEqual(['bob']);
  // Blocked for 1.5 × the TTL: b's heartbeats of that time would still be unread when a's
  // timer runs again (here they wait in the hub, undelivered).
  const blockedUntil = performance.now() + 1500;
  while (performance.now() < blockedUntil);
  // a's late tick, then the next one on time: b has been silent only while a was awake.
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(a.presence.members('lobby')).toEqual(['bob']);
  expect(a.events).toEqual(['join lobby bob']);
  // Silence while awake still counts: b stops being heard (nothing delivered) and is dropped after the TTL.
  await expect.poll(() => a.presence.members('lobby'), { timeout: 10_000 }).toEqual([]);
  expect(a.events).toEqual(['join lobby bob', 'leave lobby bob']);
});
