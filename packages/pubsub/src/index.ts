/**
 * @sansock/pubsub: topics (rooms) for `@sansock/node` servers. A publish is serialised once and
 * the same frame bytes go to every member; `redisBus` / `natsBus` carry it to other processes.
 */
export { PubSub } from './pubsub.js';
export type { PubSubOptions } from './pubsub.js';
export { Topics } from './topics.js';
export type { PublishOptions, TopicsOptions } from './topics.js';
export type { MemberExtension, TopicMember } from './member.js';
export type { PublishCounters } from './shared-frame.js';
export type { Bus } from './bus.js';
export { redisBus } from './redis-bus.js';
export type { RedisBusOptions, RedisPublisherClient, RedisSubscriberClient } from './redis-bus.js';
export { natsBus } from './nats-bus.js';
export type { NatsBusOptions, NatsConnectionLike } from './nats-bus.js';
export { decodeEnvelope, encodeEnvelope } from './envelope.js';
export type { Envelope } from './envelope.js';
