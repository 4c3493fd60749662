import type { Redis } from 'ioredis';
import type { NatsConnection } from 'nats';
import { expect, it } from 'vitest';
import type { WebSocketServer } from '@sansock/node';
import { PubSub, natsBus, redisBus } from '@sansock/pubsub';

/**
 * The buses take the real clients (their interfaces are structural, so the package depends on
 * neither), and PubSub takes a `@sansock/node` server: checked by the type-checker.
 */
it('accepts ioredis clients, a nats connection and a @sansock/node server', () => {
  const fromRedis = (publisher: Redis, subscriber: Redis) => redisBus({ publisher, subscriber });
  const fromNats = (connection: NatsConnection) => natsBus({ connection });
  const onServer = (server: WebSocketServer) => new PubSub({ server });
  expect([fromRedis, fromNats, onServer].every((f) => typeof f === 'function')).toBe(true);
});
