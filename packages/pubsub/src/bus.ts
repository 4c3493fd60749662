/**
 * A message bus between processes: an existing engine (Redis, NATS), not one of ours. It
 * carries opaque envelopes to every process on the same channel, at most once, in order per
 * publisher. Messages published while the engine is unreachable may be lost.
 */
export interface Bus {
  /** Sends an envelope to every process, this one included (the echo is skipped by PubSub). */
  publish(envelope: Uint8Array): void;
  /** Starts delivering envelopes from the bus to `receive`; resolves once subscribed. */
  start(receive: (envelope: Uint8Array) => void): Promise<void>;
  /** Unsubscribes and closes the engine's connections the bus owns. */
  close(): Promise<void>;
  /** Publishes the engine refused or could not take (at-most-once: they are lost). */
  readonly dropped: number;
}
