/**
 * The uncompressed publishes of one task, kept as a log and handed to the members once, when the
 * task is over (µWebSockets drains its topics once per loop iteration the same way). A publish
 * costs one frame and one log entry, not a call per member; at the end each member of a topic
 * gets the topic's frames of the task as one shared Buffer, joined once for all of them, so a
 * member costs one `sendFrames` and one socket write per task however many publishes there were.
 *
 * Order: a member must see the published frames in place among its own sends. So before anything
 * else goes to a member (its own send, ping, close, a subscription change, a compressed publish),
 * its share of the log so far is handed over (`settle`); at the end such a member gets the rest
 * of its share on its own, as does a member of several topics (its frames interleave by publish).
 */
import type { TopicMember } from './topic-member.js';

/**
 * Up to this many bytes, a topic's frames of one task are joined into one Buffer shared by every
 * member (one copy per task, not per member); above it, the Buffers themselves are written (the
 * transport corks them), so a large payload is never copied.
 */
const JOIN_LIMIT = 64 * 1024;

/** One publish: the topic's member set it went to and its frame (one or two Buffers). */
interface LoggedPublish {
  readonly members: ReadonlySet<TopicMember>;
  readonly frame: readonly Buffer[];
}

/** The frames one topic got in this task, in publish order. */
interface TopicShare {
  readonly members: ReadonlySet<TopicMember>;
  readonly chunks: Buffer[];
  byteLength: number;
}

export class PublishBatch {
  private readonly log: LoggedPublish[] = [];
  /** Per topic (its member set), in order of the topic's first publish. */
  private readonly shares = new Map<ReadonlySet<TopicMember>, TopicShare>();
  /** Members already handed the log up to this index (see `settle`); empty in the usual case. */
  private readonly settled = new Map<TopicMember, number>();

  /**
   * @param topicCount how many topics a member is in now (a member of one topic takes the
   *   shared path; of several, its own, to keep publish order across topics).
   */
  constructor(private readonly topicCount: (member: TopicMember) => number) {}

  add(members: ReadonlySet<TopicMember>, frame: readonly Buffer[]): void {
    this.log.push({ members, frame });
    let share = this.shares.get(members);
    if (share === undefined) this.shares.set(members, (share = { members, chunks: [], byteLength: 0 }));
    for (const chunk of frame) {
      share.chunks.push(chunk);
      share.byteLength += chunk.length;
    }
  }

  /**
   * Hands the member its share of what was published so far: called before anything else is
   * sent to it, and before its topics change (membership is read now, so it must not have
   * changed since the member's last settle).
   */
  settle(member: TopicMember): void {
    const log = this.log;
    const from = this.settled.get(member) ?? 0;
    this.settled.set(member, log.length);
    let chunks: Buffer[] | undefined;
    for (let i = from; i < log.length; i++) {
      const entry = log[i]!;
      if (!entry.members.has(member)) continue;
      chunks ??= [];
      for (const chunk of entry.frame) chunks.push(chunk);
    }
    if (chunks !== undefined) member.sendFrames(joined(chunks));
  }

  /** The task is over: every member gets the rest of its share (the caller has detached this batch). */
  release(): void {
    const settled = this.settled;
    for (const share of this.shares.values()) {
      let frames: readonly Buffer[] | undefined;
      for (const member of share.members) {
        if ((settled.size > 0 && settled.has(member)) || this.topicCount(member) > 1) {
          this.settle(member);
          continue;
        }
        frames ??= share.byteLength <= JOIN_LIMIT && share.chunks.length > 1 ? [Buffer.concat(share.chunks, share.byteLength)] : share.chunks;
        member.sendFrames(frames);
      }
    }
  }
}

function joined(chunks: Buffer[]): Buffer[] {
  if (chunks.length === 1) return chunks;
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length <= JOIN_LIMIT ? [Buffer.concat(chunks, length)] : chunks;
}
