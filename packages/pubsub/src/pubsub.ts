import { holdWrites, releaseWrites } from '@sansock/core/driver';
import type { Bus } from './bus.js';
import { PUBLISHER_ID_BYTES, decodeEnvelope, encodeEnvelope, samePublisher } from './envelope.js';
import type { TopicMember } from './member.js';
import { type PublishOptions, Topics, type TopicsOptions } from './topics.js';

const encoder = new TextEncoder();

export interface PubSubOptions extends TopicsOptions {
  /** Carries publishes to the other processes (`redisBus`, `natsBus`); none = this process only. */
  readonly bus?: Bus;
}

/**
 * Topics across processes: a publish is delivered to local members at once and sent on the bus;
 * every other process delivers it to its own members. This process skips its own echo from the
 * bus, so each member gets a message exactly once while the bus is up (at most once otherwise).
 */
export class PubSub {
  readonly topics: Topics;
  private readonly bus: Bus | undefined;
  private readonly publisherId = crypto.getRandomValues(new Uint8Array(PUBLISHER_ID_BYTES));
  private readonly ready: Promise<void>;
  /** Writes are held until this task's microtasks run (see receive). */
  private holding = false;
  private readonly release = (): void => {
    this.holding = false;
    releaseWrites();
  };

  constructor(options: PubSubOptions = {}) {
    this.topics = new Topics(options);
    this.bus = options.bus;
    this.ready = this.bus === undefined ? Promise.resolve() : this.bus.start((bytes) => this.receive(bytes));
    // A failed subscribe is reported by whenReady(); an app that never asks must not crash on it.
    this.ready.catch(() => {});
  }

  /** Resolves once the bus is subscribed: publishes from other processes reach us from then on. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  subscribe(member: TopicMember, topic: string): boolean {
    return this.topics.subscribe(member, topic);
  }

  unsubscribe(member: TopicMember, topic: string): boolean {
    return this.topics.unsubscribe(member, topic);
  }

  /** Delivers to this process's members now and to every other process's through the bus. Returns the local count. */
  publish(topic: string, data: Uint8Array | string, options?: PublishOptions): number {
    const binary = options?.binary ?? typeof data !== 'string';
    const payload = typeof data === 'string' ? encoder.encode(data) : data;
    const delivered = this.topics.publish(topic, payload, { binary });
    this.bus?.publish(encodeEnvelope({ publisher: this.publisherId, topic, payload, binary }));
    return delivered;
  }

  /** Publishes the bus could not carry (lost, at-most-once). */
  get dropped(): number {
    return this.bus?.dropped ?? 0;
  }

  close(): Promise<void> {
    return this.bus?.close() ?? Promise.resolve();
  }

  private receive(bytes: Uint8Array): void {
    const envelope = decodeEnvelope(bytes);
    // Not ours (foreign traffic on the channel), or our own publish coming back: already delivered.
    if (envelope === undefined || samePublisher(envelope.publisher, this.publisherId)) return;
    // A bus client hands over every message of one read in a row, outside any socket's
    // listeners: hold the sockets' writes until that burst is over, so each member gets one
    // write for all of it instead of one per message (the microtask always runs).
    if (!this.holding) {
      this.holding = true;
      holdWrites();
      queueMicrotask(this.release);
    }
    this.topics.publish(envelope.topic, envelope.payload, { binary: envelope.binary });
  }
}
