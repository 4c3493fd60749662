import type { Bus } from './bus.js';

/** The part of a `nats` (nats.js v2) connection the bus uses. */
export interface NatsConnectionLike {
  publish(subject: string, payload?: Uint8Array): void;
  subscribe(subject: string, options?: { callback?: (error: Error | null, message: { readonly data: Uint8Array }) => void }): unknown;
  flush(): Promise<void>;
  drain(): Promise<void>;
  isClosed(): boolean;
}

export interface NatsBusOptions {
  /** A connection from `connect()`; give it `maxReconnectAttempts: -1` to reconnect forever. */
  readonly connection: NatsConnectionLike;
  /** The subject every process uses. Default 'sansock'. */
  readonly subject?: string;
}

/**
 * A bus on core NATS (no JetStream): at-most-once, in order per publisher, nothing stored.
 * While the server is down the client keeps publishes in its reconnect buffer (they go out on
 * reconnect, or are lost past its size); what others publish while this process is
 * disconnected is lost. The bus owns the connection and drains it on close.
 */
export function natsBus(options: NatsBusOptions): Bus {
  const { connection } = options;
  const subject = options.subject ?? 'sansock';
  let dropped = 0;
  return {
    publish(envelope) {
      try {
        connection.publish(subject, envelope);
      } catch {
        // Closed connection, or a payload over the server's max_payload: lost.
        dropped++;
      }
    },
    async start(receive) {
      connection.subscribe(subject, {
        callback: (error, message) => {
          if (error === null) receive(message.data);
        },
      });
      // The SUBSCRIBE has reached the server once a flush round-trip is done.
      await connection.flush();
    },
    async close() {
      if (!connection.isClosed()) await connection.drain();
    },
    get dropped() {
      return dropped;
    },
  };
}
