import { type FrameShape, type TopicMember, frameShapeOf } from './member.js';
import { type PublishCounters, buildDeflatedFrame, buildPlainFrame } from './shared-frame.js';

const OPEN = 1;
const encoder = new TextEncoder();

export interface TopicsOptions {
  /**
   * Messages at least this long are compressed for members that negotiated permessage-deflate
   * (like `ws`'s `threshold`). Default 1024; Infinity never compresses.
   */
  readonly compressThreshold?: number;
}

export interface PublishOptions {
  /** Default: true for bytes, false for strings. */
  readonly binary?: boolean;
}

/**
 * The local topic registry: sockets join and leave topics, and a publish reaches every open
 * member of a topic. A message is serialised once per publish (and compressed at most once per
 * window size), and the same frame bytes are written to every member's socket; only members
 * whose compressor keeps context get it through their own `send`. A socket leaves all its
 * topics when it closes. It backs `wss.publish` / `ws.subscribe` / `ws.unsubscribe`.
 */
export class Topics {
  private readonly members = new Map<string, Set<TopicMember>>();
  private readonly joined = new Map<TopicMember, Set<string>>();
  private readonly compressThreshold: number;
  readonly counters: PublishCounters = { framesBuilt: 0, compressions: 0, perSocketSends: 0 };

  constructor(options: TopicsOptions = {}) {
    this.compressThreshold = options.compressThreshold ?? 1024;
  }

  /** Adds the socket to the topic; false if it was a member already. */
  subscribe(member: TopicMember, topic: string): boolean {
    let topics = this.joined.get(member);
    if (topics === undefined) {
      if (member.readyState > OPEN) return false; // closing or closed: it would never leave
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
    if (topics === undefined || !topics.delete(topic)) return false;
    this.removeMember(topic, member);
    return true;
  }

  isSubscribed(member: TopicMember, topic: string): boolean {
    return this.joined.get(member)?.has(topic) ?? false;
  }

  /** The topics a socket is in. */
  topicsOf(member: TopicMember): string[] {
    return [...(this.joined.get(member) ?? [])];
  }

  /** How many sockets are in the topic. */
  memberCount(topic: string): number {
    return this.members.get(topic)?.size ?? 0;
  }

  /** Topics with at least one member. */
  topicNames(): string[] {
    return [...this.members.keys()];
  }

  /**
   * Delivers a message to every open member of the topic (this process only; `PubSub` adds the
   * bus). Returns how many members it was written to.
   */
  publish(topic: string, data: Uint8Array | string, options?: PublishOptions): number {
    const set = this.members.get(topic);
    if (set === undefined) return 0;
    const binary = options?.binary ?? typeof data !== 'string';
    const payload = typeof data === 'string' ? encoder.encode(data) : data;
    const compress = payload.length >= this.compressThreshold;
    // One frame per shape, made on first need: a room of plain sockets costs one encodeFrame.
    const frames = new Map<FrameShape, Uint8Array[]>();
    let delivered = 0;
    for (const member of set) {
      if (member.readyState !== OPEN) continue;
      const shape: FrameShape = compress ? frameShapeOf(member) : 'plain';
      if (shape === 'own') {
        member.send(payload, { binary });
        this.counters.perSocketSends++;
        delivered++;
        continue;
      }
      let frame = frames.get(shape);
      if (frame === undefined) {
        frame = shape === 'plain' ? buildPlainFrame(payload, binary) : buildDeflatedFrame(payload, binary, shape);
        if (shape !== 'plain') this.counters.compressions++;
        this.counters.framesBuilt++;
        frames.set(shape, frame);
      }
      if (member.sendFrames(frame)) delivered++;
    }
    return delivered;
  }

  private leaveAll(member: TopicMember): void {
    const topics = this.joined.get(member);
    if (topics === undefined) return;
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
