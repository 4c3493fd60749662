/**
 * The multi-process behaviour both buses must have, as one suite body: three room-server
 * processes on one bus, clients spread over them; exactly-once delivery to every room member,
 * order per publisher, a killed process losing only its own sockets, and a bus restart
 * survived (what is published while the bus is down may be lost: at-most-once). Presence: every
 * process knows who is in a room on all of them, sees joins and leaves, and drops a killed
 * process's members once its heartbeat has been silent for the TTL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BusKind, type BusServer, freePort, startBusServer } from './bus-servers.js';
import { type RoomClient, type RoomProcess, askMembers, counts, joinRoom, startRoomProcess } from './room-processes.js';

export function clusterSuite(kind: BusKind, binary: string): void {
  let bus: BusServer;
  const processes: RoomProcess[] = [];
  const lobby: RoomClient[][] = []; // per process
  const other: RoomClient[] = [];
  const watchers: RoomClient[] = []; // one per process, in the lobby's presence events
  const names = (processIndexes: number[]) => processIndexes.flatMap((p) => [`p${p}c0`, `p${p}c1`]).sort();
  const events = (watcher: RoomClient) => watcher.received.filter((m) => m.startsWith('join:') || m.startsWith('leave:'));

  beforeAll(async () => {
    bus = await startBusServer(kind, binary, await freePort());
    for (let i = 0; i < 3; i++) processes.push(await startRoomProcess(kind, bus.port));
    for (const process of processes) watchers.push(await joinRoom(process.port, 'lobby', 'watch=1'));
    for (const [p, process] of processes.entries()) {
      lobby.push([await joinRoom(process.port, 'lobby', `name=p${p}c0`), await joinRoom(process.port, 'lobby', `name=p${p}c1`)]);
      other.push(await joinRoom(process.port, 'other'));
    }
  }, 60_000);

  afterAll(async () => {
    for (const client of [...lobby.flat(), ...other, ...watchers]) client.ws.terminate();
    await Promise.all(processes.map((process) => process.kill()));
    await bus?.stop();
  });

  it('a message from any client reaches every member of its room exactly once, in order per publisher, text and binary', async () => {
    const senders = lobby.flat();
    for (let round = 0; round < 5; round++) {
      senders.forEach((client, i) => {
        client.ws.send(`c${i}-${round}`);
        client.ws.send(Buffer.from([i, round]));
      });
    }
    const expected = senders.length * 5 * 2;
    for (const client of senders) {
      await expect.poll(() => client.received.length).toBe(expected);
      expect([...counts(client.received).values()].every((n) => n === 1)).toBe(true);
      // Each publisher's messages arrive in the order it sent them.
      senders.forEach((_, i) => {
        const mine = client.received.filter((m) => m.startsWith(`c${i}-`));
        expect(mine).toEqual([0, 1, 2, 3, 4].map((round) => `c${i}-${round}`));
      });
      expect(client.received).toContain(`bin:${Buffer.from([5, 4]).toString('hex')}`);
    }
    for (const client of other) expect(client.received).toEqual([]);
    for (const client of senders) client.received.length = 0;
  });

  it('presence: every process knows the room\'s members on all processes, and sees joins and leaves', async () => {
    for (const watcher of watchers) await expect.poll(() => askMembers(watcher), { timeout: 20_000 }).toEqual(names([0, 1, 2]));
    for (const watcher of watchers) await expect.poll(() => events(watcher).sort()).toEqual(names([0, 1, 2]).map((n) => `join:${n}`));
    // Two sockets of one member on two processes: it is in the room until the last one leaves.
    const late = [await joinRoom(processes[1]!.port, 'lobby', 'name=late'), await joinRoom(processes[2]!.port, 'lobby', 'name=late')];
    for (const watcher of watchers) await expect.poll(() => events(watcher).filter((e) => e.endsWith(':late'))).toEqual(['join:late']);
    late[0]!.ws.close();
    await late[0]!.closed;
    expect(await askMembers(watchers[1]!)).toContain('late');
    late[1]!.ws.close();
    await late[1]!.closed;
    for (const watcher of watchers) {
      await expect.poll(() => events(watcher).filter((e) => e.endsWith(':late'))).toEqual(['join:late', 'leave:late']);
      expect(await askMembers(watcher)).toEqual(names([0, 1, 2]));
    }
  });

  it('a server process killed mid-run loses only its own sockets, and its members leave the room after the TTL', async () => {
    await processes[2]!.kill();
    await Promise.all(lobby[2]!.map((client) => client.closed));
    // Nobody said goodbye for them: the others notice the silence (heartbeats stop), then drop them.
    for (const watcher of watchers.slice(0, 2)) {
      await expect.poll(() => events(watcher).filter((e) => e.startsWith('leave:p2')).sort(), { timeout: 20_000 }).toEqual(['leave:p2c0', 'leave:p2c1']);
      expect(await askMembers(watcher)).toEqual(names([0, 1]));
    }
    const alive = [...lobby[0]!, ...lobby[1]!];
    for (const client of alive) expect(client.ws.readyState).toBe(1);
    alive.forEach((client, i) => client.ws.send(`after-kill-${i}`));
    for (const client of alive) {
      await expect.poll(() => client.received.length).toBe(alive.length);
      expect([...counts(client.received).keys()].sort()).toEqual(alive.map((_, i) => `after-kill-${i}`).sort());
    }
    for (const client of alive) client.received.length = 0;
  });

  it(`a ${kind} restart is survived: the processes reconnect (what is published while it is down is lost)`, async () => {
    const port = bus.port;
    await bus.stop();
    // Published while the bus is down: delivered locally at once, lost for the other process.
    const [a, b] = [lobby[0]![0]!, lobby[1]![0]!];
    a.ws.send('while-down');
    await expect.poll(() => a.received.includes('while-down')).toBe(true);
    bus = await startBusServer(kind, binary, port);
    // The loss window ends when both processes are back on the bus: probe until a message crosses.
    let probe = 0;
    const crossed = () => b.received.some((m) => m.startsWith('probe-'));
    while (!crossed()) {
      a.ws.send(`probe-${probe++}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The other direction too (each process's subscriber must be back).
    let back = 0;
    while (!a.received.some((m) => m.startsWith('back-'))) {
      b.ws.send(`back-${back++}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const alive = [...lobby[0]!, ...lobby[1]!];
    a.ws.send('after-restart');
    for (const client of alive) {
      await expect.poll(() => client.received.filter((m) => m === 'after-restart').length).toBe(1);
    }
    // Presence came through the outage: the processes' heartbeats resumed before any TTL ran out, or they resynced.
    for (const watcher of watchers.slice(0, 2)) await expect.poll(() => askMembers(watcher), { timeout: 20_000 }).toEqual(names([0, 1]));
  }, 60_000);
}
