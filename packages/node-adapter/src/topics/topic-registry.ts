/**
 * A server's topics (µWebSockets' pub/sub shape): sockets join and leave topics, and a publish
 * reaches every open member. The message is serialised once per publish (compressed at most
 * once per window size) and the same Buffers are written to every member, through the driver so
 * they keep their place among the socket's other sends. A socket leaves its topics on close.
 */
import type { ZlibOptions } from 'node:zlib';
import { type FrameShape, frameShapeOf } from './frame-shape.js';
import { PublishBatch } from './publish-batch.js';
import { type PublishCounters, buildDeflatedFrame, buildPlainFrame } from './shared-frame.js';
import type { TopicMember } from './topic-member.js';

const OPEN = 1;

export interface TopicRegistryOptions {
  /** Messages shorter than this are never compressed (the server's permessage-deflate `threshold`). */
  readonly compressThreshold: number;
  /** zlib options for shared compressed frames (the server's `zlibDeflateOptions`; `windowBits` is the member's). */
  readonly zlibOptions?: ZlibOptions | undefined;
}

export class TopicRegistry {
  private readonly members = new Map<string, Set<TopicMember>>();
  private readonly joined = new Map<TopicMember, Set<string>>();
  readonly counters: PublishCounters = { framesBuilt: 0, compressions: 0, perSocketSends: 0 };
  private readonly options: TopicRegistryOptions;
  /** This task's uncompressed publishes, not yet handed to the members (see publish-batch.ts); null when none. */
  private pending: PublishBatch | null = null;
  private readonly topicCount = (member: TopicMember): number => this.joined.get(member)?.size ?? 0;

  constructor(options: TopicRegistryOptions) {
    this.options = options;
  }

  /** Hands the member what was published to it so far in this task: call before anything else goes to it. */
  settle(member: TopicMember): void {
    this.pending?.settle(member);
  }

  /** Whether publishes of this task wait for `releasePending` (the caller arranges for it to run). */
  get hasPending(): boolean {
    return this.pending !== null;
  }

  /** The task is over: every member gets its share of the task's publishes (one write each, with the held writes). */
  releasePending(): void {
    const batch = this.pending;
    if (batch === null) return;
    // Detached first: what release() sends through a member must not settle it again.
    this.pending = null;
    batch.release();
  }

  /** Adds the socket to the topic; false if it was a member already or is closing. */
  subscribe(member: TopicMember, topic: string): boolean {
    // Publishes before this call are not for it in this topic: it takes its share so far now.
    this.settle(member);
    let topics = this.joined.get(member);
    if (topics === undefined) {
      if (member.readyState !== OPEN) return false; // closing or closed: it would never leave
      topics = new Set();
      this.joined.set(member, topics);
      member.once('close', () => this.leaveAll(member));
    }
    if (topics.has(topic)) return false;
    topics.add(topic);
    let set = this.members.get(topic);
    if (set === undefined) this.members.set(topic, (set = new Set()));
    set.add(member);
    return true;
  }

  /** Removes the socket from the topic; false if it was not a member. */
  unsubscribe(member: TopicMember, topic: string): boolean {
    const topics = this.joined.get(member);
    if (topics === undefined || !topics.has(topic)) return false;
    this.settle(member); // publishes before this call still reach it
    topics.delete(topic);
    this.removeMember(topic, member);
    return true;
  }

  isSubscribed(member: TopicMember, topic: string): boolean {
    return this.joined.get(member)?.has(topic) ?? false;
  }

  topicsOf(member: TopicMember): string[] {
    const topics = this.joined.get(member);
    return topics === undefined ? [] : [...topics];
  }

  memberCount(topic: string): number {
    return this.members.get(topic)?.size ?? 0;
  }

  /** Writes the message to every open member of the topic; returns how many it was written to. */
  publish(topic: string, payload: Uint8Array, binary: boolean, compress: boolean): number {
    const set = this.members.get(topic);
    if (set === undefined) return 0;
    if (!compress || payload.length < this.options.compressThreshold) return this.publishPlain(set, payload, binary);
    // Written at once, member by member: what this task published before goes first.
    this.releasePending();
    // One frame per shape, made on first need.
    const frames = new Map<FrameShape, Buffer[]>();
    let delivered = 0;
    for (const member of set) {
      if (member.readyState !== OPEN) continue;
      const shape = frameShapeOf(member.negotiatedExtensions);
      if (shape === 'own') {
        member.send(payload, { binary, compress: true });
        this.counters.perSocketSends++;
        delivered++;
        continue;
      }
      let frame = frames.get(shape);
      if (frame === undefined) {
        frame = shape === 'plain' ? buildPlainFrame(payload, binary) : buildDeflatedFrame(payload, binary, shape, this.options.zlibOptions);
        if (shape !== 'plain') this.counters.compressions++;
        this.counters.framesBuilt++;
        frames.set(shape, frame);
      }
      if (member.sendFrames(frame)) delivered++;
    }
    return delivered;
  }

  /**
   * The hot path: one frame and one log entry; the members get it when the task is over (see
   * publish-batch.ts). Returns the members open now (those it will be written to).
   */
  private publishPlain(set: Set<TopicMember>, payload: Uint8Array, binary: boolean): number {
    const frame = buildPlainFrame(payload, binary);
    this.counters.framesBuilt++;
    (this.pending ??= new PublishBatch(this.topicCount)).add(set, frame);
    let open = 0;
    for (const member of set) if (member.readyState === OPEN) open++;
    return open;
  }

  private leaveAll(member: TopicMember): void {
    const topics = this.joined.get(member);
    if (topics === undefined) return;
    this.settle(member);
    this.joined.delete(member);
    for (const topic of topics) this.removeMember(topic, member);
  }

  private removeMember(topic: string, member: TopicMember): void {
    const set = this.members.get(topic);
    if (set === undefined) return;
    set.delete(member);
    if (set.size === 0) this.members.delete(topic);
  }
}
