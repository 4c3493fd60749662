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
import { type Bus, Presence, PubSub, encodeEnvelope } from '@sansock/pubsub';

/** Buses joined in memory; `drop` loses the next n messages sent by one bus (at-most-once). */
function memoryHub() {
  const receivers: Array<(bytes: Uint8Array) => void> = [];
  let queue: Array<() => void> = [];
  const dropNext = new Map<number, number>();
  const bus = (index: number): Bus => ({
    publish(envelope) {
      const dropping = dropNext.get(index) ?? 0;
      if (dropping > 0) {
        dropNext.set(index, dropping - 1);
        return;
      }
      const copy = envelope.slice();
      for (const receive of receivers) queue.push(() => receive(copy));
    },
    async start(receive) {
      receivers.push(receive);
    },
    async close() {},
    dropped: 0,
  });
  return {
    bus,
    drop(index: number, count: number) {
      dropNext.set(index, count);
    },
    /** Delivers everything in flight, and what that makes the processes send, until quiet. */
    settle() {
      while (queue.length > 0) {
        const now = queue;
        queue = [];
        for (const deliver of now) deliver();
      }
    },
    inject(bytes: Uint8Array) {
      for (const receive of receivers) queue.push(() => receive(bytes));
    },
  };
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function processOn(hub: ReturnType<typeof memoryHub>, index: number) {
  const wss = new WebSocketServer({ noServer: true });
  const pubsub = new PubSub({ server: wss, bus: hub.bus(index) });
  await pubsub.whenReady();
  const presence = new Presence({ pubsub, heartbeatInterval: 3_600_000 });
  const events: string[] = [];
  presence.on('join', (room, member) => events.push(`join ${room} ${member}`));
  presence.on('leave', (room, member) => events.push(`leave ${room} ${member}`));
  closers.push(() => presence.close());
  // The first sync/heartbeat are sent once the bus is ready (a microtask later).
  await Promise.resolve();
  return { presence, events };
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
