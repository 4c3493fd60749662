import type { Redis } from 'ioredis';
import type { NatsConnection } from 'nats';
import { expect, it } from 'vitest';
import { natsBus, redisBus } from '@sansock/pubsub';
import type { WebSocket } from '@sansock/node';
import { Topics } from '@sansock/pubsub';

/**
 * The buses take the real clients (their interfaces are structural, so the package depends on
 * neither), and a `@sansock/node` WebSocket is a topic member: checked by the type-checker.
 */
it('accepts ioredis clients, a nats connection and @sansock/node sockets', () => {
  const fromRedis = (publisher: Redis, subscriber: Redis) => redisBus({ publisher, subscriber });
  const fromNats = (connection: NatsConnection) => natsBus({ connection });
  const join = (topics: Topics, ws: WebSocket) => topics.subscribe(ws, 'room');
  expect([fromRedis, fromNats, join].every((f) => typeof f === 'function')).toBe(true);
});
