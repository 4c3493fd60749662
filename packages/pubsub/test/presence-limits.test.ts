/**
 * Presence's bounds: the bus is shared, and what other processes announce is kept here, so its
 * cost is bounded — names, members per process, processes, message size. Over the limit the
 * traffic is ignored and counted in `refused`; a local join over the name limit throws.
 */
import { afterEach, expect, it } from 'vitest';
import { encodeEnvelope } from '@sansock/pubsub';
import { memoryHub, processOn } from './memory-hub.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const encoder = new TextEncoder();

/** Presence traffic as if from another process with this id byte. */
function fromStranger(id: number, message: object): Uint8Array {
  return encodeEnvelope({ publisher: new Uint8Array(8).fill(id), topic: '', payload: encoder.encode(JSON.stringify(message)), binary: true, kind: 2 });
}

async function watcher(options: Parameters<typeof processOn>[2]) {
  const hub = memoryHub();
  const a = await processOn(hub, 0, options);
  closers.push(() => a.presence.close());
  hub.settle();
  return { hub, ...a };
}

it('a process announcing more members than maxMembersPerProcess: joins beyond are ignored, a state beyond is refused whole', async () => {
  const { hub, presence } = await watcher({ maxMembersPerProcess: 3 });
  for (let v = 1; v <= 5; v++) hub.inject(fromStranger(7, { t: 'join', v, room: 'lobby', member: `m${v}` }));
  hub.settle();
  expect(presence.members('lobby')).toEqual(['m1', 'm2', 'm3']);
  expect(presence.refused).toBe(2);
  // A leave makes room again.
  hub.inject(fromStranger(7, { t: 'leave', v: 6, room: 'lobby', member: 'm1' }));
  hub.inject(fromStranger(7, { t: 'join', v: 7, room: 'lobby', member: 'm9' }));
  hub.settle();
  expect(presence.members('lobby')).toEqual(['m2', 'm3', 'm9']);
  // A whole state of 4 is not kept in part: that process's members are dropped instead.
  hub.inject(fromStranger(7, { t: 'state', v: 8, ttl: 1000, rooms: { lobby: ['a', 'b'], kitchen: ['c', 'd'] } }));
  hub.settle();
  expect(presence.rooms()).toEqual([]);
  expect(presence.refused).toBe(3);
});

it('names longer than maxNameLength: ignored from the bus, a RangeError locally', async () => {
  const { hub, presence } = await watcher({ maxNameLength: 8 });
  hub.inject(fromStranger(7, { t: 'join', v: 1, room: 'lobby', member: 'x'.repeat(9) }));
  hub.inject(fromStranger(7, { t: 'join', v: 2, room: 'y'.repeat(9), member: 'bob' }));
  hub.inject(fromStranger(8, { t: 'state', v: 1, ttl: 1000, rooms: { lobby: ['z'.repeat(9)] } }));
  hub.inject(fromStranger(7, { t: 'join', v: 3, room: 'lobby', member: 'x'.repeat(8) }));
  hub.settle();
  expect(presence.members('lobby')).toEqual(['x'.repeat(8)]);
  expect(presence.refused).toBe(3);
  expect(() => presence.join('lobby', 'w'.repeat(9))).toThrow(RangeError);
  presence.join('lobby', 'w'.repeat(8));
  expect(presence.count('lobby')).toBe(2);
});

it('more processes than maxProcesses: the extra ones are not followed', async () => {
  const { hub, presence } = await watcher({ maxProcesses: 2 });
  for (let id = 1; id <= 4; id++) hub.inject(fromStranger(id, { t: 'join', v: 1, room: 'lobby', member: `p${id}` }));
  hub.settle();
  expect(presence.members('lobby')).toEqual(['p1', 'p2']);
  expect(presence.refused).toBe(2);
  // One says goodbye: a new one may be followed.
  hub.inject(fromStranger(1, { t: 'bye' }));
  hub.inject(fromStranger(4, { t: 'join', v: 1, room: 'lobby', member: 'p4' }));
  hub.settle();
  expect(presence.members('lobby')).toEqual(['p2', 'p4']);
});

it('a presence message over maxMessageBytes is not even parsed', async () => {
  const { hub, presence } = await watcher({ maxMessageBytes: 100 });
  hub.inject(fromStranger(7, { t: 'state', v: 1, ttl: 1000, rooms: { lobby: Array.from({ length: 20 }, (_, i) => `member-${i}`) } }));
  hub.inject(fromStranger(7, { t: 'join', v: 2, room: 'lobby', member: 'small' }));
  hub.settle();
  expect(presence.members('lobby')).toEqual(['small']);
  expect(presence.refused).toBe(1);
});

it('limits must be positive integers', async () => {
  const hub = memoryHub();
  await expect(processOn(hub, 0, { maxProcesses: 0 })).rejects.toThrow(RangeError);
  await expect(processOn(hub, 1, { maxNameLength: 1.5 })).rejects.toThrow(RangeError);
});
