import { EventEmitter } from 'node:events';
import { type PresenceMessage, decodePresence, encodePresence } from './presence-messages.js';
import type { PubSub } from './pubsub.js';
import { RoomRoster } from './room-roster.js';

/** The bus channel presence uses (see `PubSub#channel`). */
const PRESENCE_CHANNEL = 2;

export interface PresenceOptions {
  /** Its bus carries presence to the other processes (no bus: this process only). */
  readonly pubsub: PubSub;
  /** How often this process says it is alive, in ms. Default 5000. */
  readonly heartbeatInterval?: number;
  /**
   * How long the other processes keep this one's members after its last word, in ms: a process
   * that dies (killed, crashed, cut off from the bus) has its members leave this long after its
   * last heartbeat. Default 3 × heartbeatInterval; at least heartbeatInterval.
   */
  readonly ttl?: number;
  /**
   * Most (room, member) pairs kept for one other process; its joins beyond are ignored, and a
   * whole state of more is refused (counted in `refused`). Default 100,000.
   */
  readonly maxMembersPerProcess?: number;
  /** Most other processes followed at once; presence traffic from more is ignored. Default 1,024. */
  readonly maxProcesses?: number;
  /**
   * Longest room or member name (UTF-16 code units): a longer local `join` throws a RangeError,
   * a longer one from another process is ignored. Default 1,024.
   */
  readonly maxNameLength?: number;
  /** Largest presence message read from the bus, in bytes (a whole state is the largest). Default 16 MiB. */
  readonly maxMessageBytes?: number;
}

export interface PresenceEvents {
  /** `member` is in `room` on some process now, and was in it on none before. */
  join: [room: string, member: string];
  /** `member` is in `room` on no process any more (it left, or its process died or closed). */
  leave: [room: string, member: string];
}

/** A member's socket on this process (see `track`). */
interface Closable {
  /** 1 = OPEN; a socket already closing or closed is not tracked (its 'close' may be over). */
  readonly readyState: number;
  once(event: 'close', listener: () => void): unknown;
}

interface RemoteProcess {
  /** The last change number applied. */
  version: number;
  /** Its whole state was asked for and has not come yet (changes are applied meanwhile, the numbers not checked). */
  awaitingState: boolean;
  lastHeard: number;
  ttl: number;
}

const LOCAL = 'local';

/** A limit option: a positive integer, or the default. */
function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/**
 * Who is in a room across every server process on the bus. Members are ids the app chooses
 * (a user id): the same member on several sockets or processes is in the room once, until the
 * last of them leaves. Each process announces its own joins and leaves, and its heartbeat; the
 * others keep a copy, asking for a process's whole state when they missed some of its changes
 * (at-most-once bus) or hear of it for the first time. A process that stops beating (killed)
 * has its members leave `ttl` ms after its last word; `close()` makes them leave at once.
 */
export class Presence extends EventEmitter<PresenceEvents> {
  private readonly roster = new RoomRoster({
    onJoin: (room, member) => this.emit('join', room, member),
    onLeave: (room, member) => this.emit('leave', room, member),
  });
  /** member counts per room on this process (several sockets of one member). */
  private readonly local = new Map<string, Map<string, number>>();
  private readonly remotes = new Map<string, RemoteProcess>();
  private readonly send: (body: Uint8Array) => void;
  private readonly id: string;
  private readonly heartbeatInterval: number;
  private readonly ttl: number;
  private version = 0;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  // The bus is shared: what other processes send costs memory here, so it is bounded.
  private readonly maxMembersPerProcess: number;
  private readonly maxProcesses: number;
  private readonly maxNameLength: number;
  private readonly maxMessageBytes: number;
  private refusedCount = 0;
  /** When the heartbeat timer last ran (see `tick`). */
  private lastTick = performance.now();

  constructor(options: PresenceOptions) {
    super();
    this.heartbeatInterval = options.heartbeatInterval ?? 5000;
    this.ttl = options.ttl ?? 3 * this.heartbeatInterval;
    if (!(this.heartbeatInterval > 0) || !Number.isFinite(this.heartbeatInterval)) throw new RangeError('heartbeatInterval must be a positive number of ms');
    if (!(this.ttl >= this.heartbeatInterval) || !Number.isFinite(this.ttl)) throw new RangeError('ttl must be a number of ms at least heartbeatInterval');
    this.maxMembersPerProcess = limit(options.maxMembersPerProcess, 100_000, 'maxMembersPerProcess');
    this.maxProcesses = limit(options.maxProcesses, 1024, 'maxProcesses');
    this.maxNameLength = limit(options.maxNameLength, 1024, 'maxNameLength');
    this.maxMessageBytes = limit(options.maxMessageBytes, 16 * 1024 * 1024, 'maxMessageBytes');
    this.id = hex(options.pubsub.processId);
    this.send = options.pubsub.channel(PRESENCE_CHANNEL, (body, publisher) => this.receive(body, hex(publisher)));
    this.timer = setInterval(() => this.tick(), this.heartbeatInterval);
    this.timer.unref();
    // Ask everyone for their state (a process that starts late learns who is already there).
    options.pubsub.whenReady().then(
      () => {
        if (this.closed) return;
        this.post({ t: 'sync' });
        this.beat();
      },
      () => {},
    );
  }

  /** Adds `member` to `room` on this process (counted: one leave per join). */
  join(room: string, member: string): void {
    this.requireOpen();
    if (!this.nameFits(room) || !this.nameFits(member)) throw new RangeError(`Room and member names must be at most ${this.maxNameLength} characters`);
    let counts = this.local.get(room);
    if (counts === undefined) this.local.set(room, (counts = new Map()));
    const count = counts.get(member) ?? 0;
    counts.set(member, count + 1);
    if (count > 0) return;
    this.roster.add(LOCAL, room, member);
    this.post({ t: 'join', v: ++this.version, room, member });
  }

  /** Undoes one `join`; the member leaves the room on this process when its last join is undone. */
  leave(room: string, member: string): void {
    const counts = this.local.get(room);
    const count = counts?.get(member);
    if (counts === undefined || count === undefined) return;
    if (count > 1) {
      counts.set(member, count - 1);
      return;
    }
    counts.delete(member);
    if (counts.size === 0) this.local.delete(room);
    this.roster.remove(LOCAL, room, member);
    if (!this.closed) this.post({ t: 'leave', v: ++this.version, room, member });
  }

  /** Joins now and leaves when the socket closes; false (nothing done) if the socket is not open. */
  track(socket: Closable, room: string, member: string): boolean {
    if (socket.readyState !== 1) return false;
    this.join(room, member);
    socket.once('close', () => this.leave(room, member));
    return true;
  }

  /** The members of the room on every live process. */
  members(room: string): string[] {
    return this.roster.members(room);
  }

  count(room: string): number {
    return this.roster.count(room);
  }

  /** Rooms with at least one member somewhere. */
  rooms(): string[] {
    return this.roster.rooms();
  }

  /** Presence changes and states from other processes ignored for a limit (see the `max…` options). */
  get refused(): number {
    return this.refusedCount;
  }

  /** Says goodbye (the other processes drop this one's members at once) and stops the heartbeat. */
  close(): void {
    if (this.closed) return;
    this.post({ t: 'bye' });
    this.closed = true;
    clearInterval(this.timer);
  }

  private requireOpen(): void {
    if (this.closed) throw new Error('Presence is closed');
  }

  private post(message: PresenceMessage): void {
    this.send(encodePresence(message));
  }

  private beat(): void {
    this.post({ t: 'beat', v: this.version, ttl: this.ttl });
  }

  private tick(): void {
    this.beat();
    const now = performance.now();
    // A late tick means this process could not run (its event loop was blocked or starved of
    // CPU): that much of the silence was ours, and the others' heartbeats may be waiting unread
    // (timers run before pending I/O is read). Silence is counted in time we were awake, so a
    // stalled process does not drop everyone else and see them all join again a moment later.
    const stalled = now - this.lastTick - this.heartbeatInterval;
    this.lastTick = now;
    if (stalled > this.heartbeatInterval) for (const remote of this.remotes.values()) remote.lastHeard += stalled;
    for (const [id, remote] of this.remotes) {
      if (now - remote.lastHeard > remote.ttl) this.forget(id);
    }
  }

  private forget(id: string): void {
    this.remotes.delete(id);
    this.roster.dropProcess(id);
  }

  private nameFits(name: string): boolean {
    return name.length <= this.maxNameLength;
  }

  private refuse(): void {
    this.refusedCount++;
  }

  private receive(body: Uint8Array, from: string): void {
    if (this.closed) return;
    if (body.length > this.maxMessageBytes) return this.refuse();
    const message = decodePresence(body);
    if (message === undefined) return;
    if (message.t === 'bye') {
      this.forget(from);
      return;
    }
    if (message.t === 'sync') {
      if (message.to === undefined || message.to === this.id) this.post({ t: 'state', v: this.version, ttl: this.ttl, rooms: this.roster.roomsOf(LOCAL) });
      return;
    }
    let remote = this.remotes.get(from);
    if (remote === undefined) {
      if (this.remotes.size >= this.maxProcesses) return this.refuse();
      remote = { version: 0, awaitingState: false, lastHeard: 0, ttl: this.ttl };
      this.remotes.set(from, remote);
    }
    remote.lastHeard = performance.now();
    switch (message.t) {
      case 'state':
        remote.ttl = message.ttl;
        remote.version = message.v;
        remote.awaitingState = false;
        if (this.stateFits(message.rooms)) this.roster.replace(from, message.rooms);
        else {
          // Too big to keep: none of it is (a part would be a wrong picture), and the numbers
          // are taken as synced so it is not asked for again at every beat.
          this.refuse();
          this.roster.dropProcess(from);
        }
        return;
      case 'beat':
        remote.ttl = message.ttl;
        // Behind (or never synced), or a state asked for went missing: ask (again, once per beat).
        if (message.v !== remote.version || remote.awaitingState) this.resync(from, remote);
        return;
      case 'join':
      case 'leave':
        // Applied at once (both are idempotent); a gap in the numbers means a change was lost.
        if (message.t === 'leave') this.roster.remove(from, message.room, message.member);
        else if (this.nameFits(message.room) && this.nameFits(message.member) && this.roster.size(from) < this.maxMembersPerProcess) {
          this.roster.add(from, message.room, message.member);
        } else this.refuse();
        if (remote.awaitingState) return;
        if (message.v === remote.version + 1) remote.version = message.v;
        else this.resync(from, remote);
    }
  }

  private stateFits(rooms: Readonly<Record<string, readonly string[]>>): boolean {
    let count = 0;
    for (const [room, members] of Object.entries(rooms)) {
      count += members.length;
      if (count > this.maxMembersPerProcess || !this.nameFits(room) || !members.every((member) => this.nameFits(member))) return false;
    }
    return true;
  }

  /** Asks a process for its whole state (its reply replaces what we have of it). */
  private resync(id: string, remote: RemoteProcess): void {
    remote.awaitingState = true;
    this.post({ t: 'sync', to: id });
  }
}
