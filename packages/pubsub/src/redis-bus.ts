import type { Bus } from './bus.js';

/** The part of an ioredis (or compatible) client that publishes. */
export interface RedisPublisherClient {
  publish(channel: string, message: Buffer): Promise<unknown>;
  quit(): Promise<unknown>;
}

/** The part of an ioredis client in subscriber mode that receives (`messageBuffer` keeps bytes as bytes). */
export interface RedisSubscriberClient {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'messageBuffer', listener: (channel: Buffer, message: Buffer) => void): unknown;
  quit(): Promise<unknown>;
}

export interface RedisBusOptions {
  /** Publishes; give it `enableOfflineQueue: false` so publishes while Redis is down fail (and are counted) instead of piling up. */
  readonly publisher: RedisPublisherClient;
  /** A second connection: a Redis connection in subscriber mode can do nothing else. */
  readonly subscriber: RedisSubscriberClient;
  /** The Redis pub/sub channel every process uses. Default 'sansock'. */
  readonly channel?: string;
}

/**
 * A bus on Redis pub/sub (ioredis clients). Redis delivers to the subscribers connected at that
 * moment, in publish order per connection, and keeps nothing: while Redis (or this process's
 * connection to it) is down, publishes are lost. ioredis reconnects and resubscribes by itself.
 * The bus owns both clients and quits them on close.
 */
export function redisBus(options: RedisBusOptions): Bus {
  const { publisher, subscriber } = options;
  const channel = options.channel ?? 'sansock';
  const channelBytes = Buffer.from(channel);
  let dropped = 0;
  return {
    publish(envelope) {
      publisher.publish(channel, Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength)).catch(() => {
        dropped++;
      });
    },
    async start(receive) {
      subscriber.on('messageBuffer', (from, message) => {
        if (from.equals(channelBytes)) receive(message);
      });
      await subscriber.subscribe(channel);
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
    get dropped() {
      return dropped;
    },
  };
}
