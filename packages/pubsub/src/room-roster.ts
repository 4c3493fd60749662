/**
 * Who is in which room across processes: each process's members per room (this process's and
 * the remote ones'), and the cluster-wide view derived from them. A member is in a room while
 * at least one process has it there; `onJoin`/`onLeave` fire on those transitions only.
 */
export interface RosterEvents {
  onJoin(room: string, member: string): void;
  onLeave(room: string, member: string): void;
}

export class RoomRoster {
  /** Process id → room → members. */
  private readonly byProcess = new Map<string, Map<string, Set<string>>>();
  /** Room → member → how many processes have it there. */
  private readonly cluster = new Map<string, Map<string, number>>();
  /** Process id → how many (room, member) pairs it has: what a process costs us, for the limits. */
  private readonly entries = new Map<string, number>();

  constructor(private readonly events: RosterEvents) {}

  members(room: string): string[] {
    return [...(this.cluster.get(room)?.keys() ?? [])];
  }

  count(room: string): number {
    return this.cluster.get(room)?.size ?? 0;
  }

  rooms(): string[] {
    return [...this.cluster.keys()];
  }

  /** How many (room, member) pairs `process` has here. */
  size(process: string): number {
    return this.entries.get(process) ?? 0;
  }

  hasProcess(process: string): boolean {
    return this.byProcess.has(process);
  }

  /** The process's rooms as plain data (a state snapshot). */
  roomsOf(process: string): Record<string, string[]> {
    // No prototype: a room may be called "__proto__".
    const out = Object.create(null) as Record<string, string[]>;
    for (const [room, members] of this.byProcess.get(process) ?? []) out[room] = [...members];
    return out;
  }

  add(process: string, room: string, member: string): void {
    let rooms = this.byProcess.get(process);
    if (rooms === undefined) this.byProcess.set(process, (rooms = new Map()));
    let members = rooms.get(room);
    if (members === undefined) rooms.set(room, (members = new Set()));
    if (members.has(member)) return;
    members.add(member);
    this.entries.set(process, this.size(process) + 1);
    let counts = this.cluster.get(room);
    if (counts === undefined) this.cluster.set(room, (counts = new Map()));
    const count = counts.get(member) ?? 0;
    counts.set(member, count + 1);
    if (count === 0) this.events.onJoin(room, member);
  }

  remove(process: string, room: string, member: string): void {
    const rooms = this.byProcess.get(process);
    const members = rooms?.get(room);
    if (members === undefined || !members.delete(member)) return;
    if (members.size === 0) rooms!.delete(room);
    this.entries.set(process, this.size(process) - 1);
    const counts = this.cluster.get(room)!;
    const count = counts.get(member)! - 1;
    if (count > 0) {
      counts.set(member, count);
      return;
    }
    counts.delete(member);
    if (counts.size === 0) this.cluster.delete(room);
    this.events.onLeave(room, member);
  }

  /** Replaces a process's whole state (a snapshot): only the differences make events. */
  replace(process: string, rooms: Readonly<Record<string, readonly string[]>>): void {
    for (const [room, members] of Object.entries(rooms)) for (const member of members) this.add(process, room, member);
    const current = this.byProcess.get(process);
    if (current === undefined) return;
    for (const [room, members] of [...current]) {
      const wanted = new Set(Object.hasOwn(rooms, room) ? rooms[room] : []);
      for (const member of [...members]) if (!wanted.has(member)) this.remove(process, room, member);
    }
  }

  /** A process is gone (it said bye, or its heartbeat stopped): its members leave. */
  dropProcess(process: string): void {
    const rooms = this.byProcess.get(process);
    if (rooms === undefined) return;
    for (const [room, members] of [...rooms]) for (const member of [...members]) this.remove(process, room, member);
    this.byProcess.delete(process);
    this.entries.delete(process);
  }
}
