/**
 * What travels on the bus: one publish, as
 *   kind (1 byte) | flags (1 byte: bit 0 = binary) | publisher id (8 bytes) |
 *   topic length (2 bytes, big-endian) | topic (UTF-8) | payload.
 * Kind 1 is a publish; 2-255 are other traffic sharing the bus (`PubSub#channel`: presence is 2).
 * The publisher id lets a process skip its own publish when the bus echoes it back (it was
 * delivered locally at once). Binary so a payload is carried as it is, with no base64.
 */
const PUBLISH = 1;
const BINARY = 0x01;
export const PUBLISHER_ID_BYTES = 8;
const HEAD = 2 + PUBLISHER_ID_BYTES + 2;
const MAX_TOPIC_BYTES = 0xffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface Envelope {
  readonly publisher: Uint8Array;
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly binary: boolean;
  /** Absent for a publish; the channel's kind (2-255) for other traffic. */
  readonly kind?: number;
}

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const topic = encoder.encode(envelope.topic);
  if (topic.length > MAX_TOPIC_BYTES) throw new RangeError(`A topic name must be at most ${MAX_TOPIC_BYTES} bytes of UTF-8`);
  const out = new Uint8Array(HEAD + topic.length + envelope.payload.length);
  out[0] = envelope.kind ?? PUBLISH;
  out[1] = envelope.binary ? BINARY : 0;
  out.set(envelope.publisher, 2);
  out[2 + PUBLISHER_ID_BYTES] = topic.length >>> 8;
  out[3 + PUBLISHER_ID_BYTES] = topic.length & 0xff;
  out.set(topic, HEAD);
  out.set(envelope.payload, HEAD + topic.length);
  return out;
}

/** The envelope, or undefined for bytes that are not one of ours (foreign traffic). */
export function decodeEnvelope(bytes: Uint8Array): Envelope | undefined {
  if (bytes.length < HEAD || bytes[0] === 0) return undefined;
  const topicLength = (bytes[2 + PUBLISHER_ID_BYTES]! << 8) | bytes[3 + PUBLISHER_ID_BYTES]!;
  if (bytes.length < HEAD + topicLength) return undefined;
  let topic: string;
  try {
    topic = decoder.decode(bytes.subarray(HEAD, HEAD + topicLength));
  } catch {
    return undefined;
  }
  return {
    publisher: bytes.subarray(2, 2 + PUBLISHER_ID_BYTES),
    topic,
    payload: bytes.subarray(HEAD + topicLength),
    binary: (bytes[1]! & BINARY) !== 0,
    ...(bytes[0] === PUBLISH ? {} : { kind: bytes[0] }),
  };
}

export function samePublisher(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
