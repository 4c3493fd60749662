import type { PublishData, PublishOptions, WebSocketServer } from '@sansock/node';
import type { Bus } from './bus.js';
import { PUBLISHER_ID_BYTES, decodeEnvelope, encodeEnvelope, samePublisher } from './envelope.js';

/** The server's half of publishing: `WebSocketServer#publish` (its topics, joined with `ws.subscribe`). */
export type TopicServer = Pick<WebSocketServer, 'publish'>;

export interface PubSubOptions {
  /** The server whose topics publishes reach (`ws.subscribe(topic)` joins one). */
  readonly server: TopicServer;
  /** Carries publishes to the other processes (`redisBus`, `natsBus`); none = this process only. */
  readonly bus?: Bus;
}

/**
 * `wss.publish` across processes: a publish is delivered to this server's members at once (one
 * frame for all of them, see `WebSocketServer#publish`) and sent on the bus; every other
 * process publishes it to its own server's members. This process skips its own echo from the
 * bus, so each member gets a message exactly once while the bus is up (at most once otherwise).
 * Sockets join topics with `ws.subscribe(topic)`: there is no other registry.
 */
export class PubSub {
  private readonly server: TopicServer;
  private readonly bus: Bus | undefined;
  private readonly publisherId = crypto.getRandomValues(new Uint8Array(PUBLISHER_ID_BYTES));
  private readonly ready: Promise<void>;
  /** Other kinds of bus traffic (presence), by the envelope's kind byte. */
  private readonly receivers = new Map<number, (body: Uint8Array, publisher: Uint8Array) => void>();

  constructor(options: PubSubOptions) {
    this.server = options.server;
    this.bus = options.bus;
    this.ready = this.bus === undefined ? Promise.resolve() : this.bus.start((bytes) => this.receive(bytes));
    // A failed subscribe is reported by whenReady(); an app that never asks must not crash on it.
    this.ready.catch(() => {});
  }

  /** Resolves once the bus is subscribed: publishes from other processes reach us from then on. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * Delivers to this server's members now (`wss.publish`) and to every other process's through
   * the bus. Returns how many local sockets it was written to.
   */
  publish(topic: string, data: PublishData, options?: PublishOptions): number {
    const payload = toBytes(data);
    const binary = options?.binary ?? typeof data !== 'string';
    const delivered = this.server.publish(topic, payload, { binary, compress: options?.compress });
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

  /** This process on the bus (presence tells processes apart with it). */
  get processId(): Uint8Array {
    return this.publisherId;
  }

  /**
   * Sends bus traffic of another kind (2-255; 1 is a publish) to the other processes, and
   * receives theirs: how `Presence` shares the bus. One receiver per kind.
   */
  channel(kind: number, receive: (body: Uint8Array, publisher: Uint8Array) => void): (body: Uint8Array) => void {
    if (!Number.isInteger(kind) || kind < 2 || kind > 255) throw new RangeError('A bus channel kind is an integer from 2 to 255');
    if (this.receivers.has(kind)) throw new Error(`Bus channel ${kind} is taken`);
    this.receivers.set(kind, receive);
    return (body) => this.bus?.publish(encodeEnvelope({ publisher: this.publisherId, topic: '', payload: body, binary: true, kind }));
  }

  private receive(bytes: Uint8Array): void {
    const envelope = decodeEnvelope(bytes);
    // Not ours (foreign traffic on the channel), or our own publish coming back: already delivered.
    if (envelope === undefined || samePublisher(envelope.publisher, this.publisherId)) return;
    if (envelope.kind !== undefined) {
      this.receivers.get(envelope.kind)?.(envelope.payload, envelope.publisher);
      return;
    }
    // A bus client hands over every message of one read in a row: `wss.publish` holds the
    // sockets' writes until the task is over, so each member gets one write for the burst.
    this.server.publish(envelope.topic, envelope.payload, { binary: envelope.binary });
  }
}

/** The payload once, as bytes: the same bytes go to this server and on the bus. */
function toBytes(data: PublishData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Buffer.concat(data as readonly Buffer[]);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data as ArrayBuffer);
}
