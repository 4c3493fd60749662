/**
 * Presence between PubSubs in one process, over an in-memory bus: every message is driven by
 * the test (no timing), and messages can be lost (at-most-once) or injected (foreign traffic).
 */
import { WebSocketServer } from '@sansock/node';
import { type Bus, Presence, type PresenceOptions, PubSub } from '@sansock/pubsub';

/** Buses joined in memory; `drop` loses the next n messages sent by one bus (at-most-once). */
export function memoryHub() {
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

export type MemoryHub = ReturnType<typeof memoryHub>;

/** A process on the hub: its Presence (heartbeat too long to matter) and the events it fired; `close` when done. */
export async function processOn(hub: MemoryHub, index: number, options: Partial<PresenceOptions> = {}) {
  const wss = new WebSocketServer({ noServer: true });
  const pubsub = new PubSub({ server: wss, bus: hub.bus(index) });
  await pubsub.whenReady();
  const presence = new Presence({ pubsub, heartbeatInterval: 3_600_000, ...options });
  const events: string[] = [];
  presence.on('join', (room, member) => events.push(`join ${room} ${member}`));
  presence.on('leave', (room, member) => events.push(`leave ${room} ${member}`));
  // The first sync/heartbeat are sent once the bus is ready (a microtask later).
  await Promise.resolve();
  return { presence, events };
}
