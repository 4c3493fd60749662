/** What `WebSocketServer` adds for topics: the registry made from its options, and `publish`'s arguments. */
import { DEFAULT_THRESHOLD } from '@sansock/core';
import { holdWrites, releaseWrites } from '@sansock/core/driver';
import type { PerMessageDeflateOptions } from '../extension-factories.js';
import { TopicRegistry } from './topic-registry.js';

/** What `wss.publish` accepts: `send()`'s data, but not a Blob (a publish is written synchronously). */
export type PublishData = string | Buffer | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | readonly Buffer[];

export interface PublishOptions {
  /** Default: true for bytes, false for strings. */
  binary?: boolean;
  /**
   * Compress for members that negotiated permessage-deflate, when the message is at least the
   * server's `threshold` long (as `send`'s option). Default true.
   */
  compress?: boolean;
}

export function createTopicRegistry(perMessageDeflate: PerMessageDeflateOptions | boolean | undefined): TopicRegistry {
  const options = typeof perMessageDeflate === 'object' ? perMessageDeflate : undefined;
  const zlib = options?.zlibDeflateOptions;
  return new TopicRegistry({
    compressThreshold: options?.threshold ?? DEFAULT_THRESHOLD,
    // A preset dictionary is not part of permessage-deflate (the peer's inflater has none).
    zlibOptions: zlib === undefined ? undefined : { level: zlib.level, memLevel: zlib.memLevel, strategy: zlib.strategy },
  });
}

/**
 * Publishes of one task share each member's write: the first holds every socket's writes and a
 * microtask (which always runs) hands each registry's logged publishes to the members and then
 * releases the writes, so ten publishes from a timer cost each member one write, as ten from a
 * 'message' listener do. Module state, like the driver's flush scope it extends: one release for
 * every server's publishes.
 */
let holding = false;
const waiting: TopicRegistry[] = [];
const release = (): void => {
  holding = false;
  try {
    // Indexed: a member's sendFrames runs no listener, but stay safe if a registry is added meanwhile.
    for (let i = 0; i < waiting.length; i++) waiting[i]!.releasePending();
  } finally {
    waiting.length = 0;
    releaseWrites();
  }
};

export function publish(registry: TopicRegistry, topic: string, data: PublishData, options: PublishOptions | undefined): number {
  let payload: Uint8Array;
  let text = false;
  if (typeof data === 'string') {
    payload = Buffer.from(data, 'utf8');
    text = true;
  } else if (data instanceof Uint8Array) payload = data;
  else if (Array.isArray(data)) payload = Buffer.concat(data as readonly Buffer[]);
  else if (ArrayBuffer.isView(data)) payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (data instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer)) payload = new Uint8Array(data);
  else throw new TypeError('wss.publish() takes a string, a Buffer, an ArrayBuffer or a typed array (not a Blob)');
  if (registry.memberCount(topic) === 0) return 0;
  if (!holding) {
    holding = true;
    holdWrites();
    queueMicrotask(release);
  }
  const hadPending = registry.hasPending;
  const delivered = registry.publish(topic, payload, options?.binary ?? !text, options?.compress ?? true);
  if (!hadPending && registry.hasPending) waiting.push(registry);
  return delivered;
}
