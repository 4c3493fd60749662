/**
 * @sansock/pubsub: `@sansock/node`'s topics (`ws.subscribe(topic)`, `wss.publish(topic, data)`)
 * across processes, over Redis or NATS (`redisBus` / `natsBus`), and room presence across them.
 */
export { PubSub } from './pubsub.js';
export type { PubSubOptions, TopicServer } from './pubsub.js';
export { Presence } from './presence.js';
export type { PresenceEvents, PresenceOptions } from './presence.js';
export type { Bus } from './bus.js';
export { redisBus } from './redis-bus.js';
export type { RedisBusOptions, RedisPublisherClient, RedisSubscriberClient } from './redis-bus.js';
export { natsBus } from './nats-bus.js';
export type { NatsBusOptions, NatsConnectionLike } from './nats-bus.js';
export { decodeEnvelope, encodeEnvelope } from './envelope.js';
export type { Envelope } from './envelope.js';
