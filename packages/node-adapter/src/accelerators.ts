/**
 * Native helpers the core can use instead of its portable code, picked the way `ws` picks them:
 * `bufferutil` (an optional peer dependency) for masking when it is installed and
 * `WS_NO_BUFFER_UTIL` is not set, Node's `buffer.isUtf8` for whole text messages, and
 * `Buffer.allocUnsafe` for arrays the core fills completely (no zero-fill, as `ws` allocates),
 * and OpenSSL's SHA-1 for the handshake's accept key. The core stays the judge of the protocol;
 * these only compute an XOR, a yes/no and a digest faster.
 */
import * as buffer from 'node:buffer';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ConnectionOptions, Sha1Base64 } from '@sansock/core';
import { bufferView } from './buffer-view.js';

interface BufferUtil {
  /** `target[offset + i] = source[i] ^ key[i & 3]`; Node-API takes any Uint8Array for its Buffers. */
  mask(source: Uint8Array, key: Uint8Array, target: Uint8Array, offset: number, length: number): void;
  /** The same in place over all of `data`. */
  unmask(data: Uint8Array, key: Uint8Array): void;
}

function loadBufferUtil(): BufferUtil | undefined {
  if (process.env.WS_NO_BUFFER_UTIL) return undefined;
  try {
    const loaded = createRequire(import.meta.url)('bufferutil') as Partial<BufferUtil>;
    return typeof loaded.mask === 'function' && typeof loaded.unmask === 'function' ? (loaded as BufferUtil) : undefined;
  } catch {
    return undefined; // not installed: the core's own masking loop is used
  }
}

/** Up to this size (Node's own pooling limit for `allocUnsafe`), arrays are zero-filled. */
const SMALL_ALLOCATION = 4096;

type Accelerators = Pick<ConnectionOptions, 'nativeMask' | 'nativeUtf8Check' | 'allocate' | 'byteView'>;

function nodeAccelerators(): Accelerators {
  const accelerators: { -readonly [K in keyof Accelerators]: Accelerators[K] } = {
    // Small arrays stay plain zero-filled ones: the fill is cheap there, and a mix of Buffers and
    // Uint8Arrays reaching the core's byte loops made parsing 64 B frames 12 % slower (bench/).
    allocate: (length) => (length > SMALL_ALLOCATION ? buffer.Buffer.allocUnsafe(length) : new Uint8Array(length)),
    // A message within one read is handed to 'message' listeners as a Buffer made once.
    byteView: bufferView,
  };
  const bufferUtil = loadBufferUtil();
  if (bufferUtil !== undefined) {
    // In place (how the core unmasks a frame within one read), the two-argument call costs
    // ~15 ns less than the five-argument one: 65 vs 80 ns for 1 KiB (bench/).
    accelerators.nativeMask = (source, key, target, offset, length) =>
      source === target && offset === 0 && length === source.length
        ? bufferUtil.unmask(source, key)
        : bufferUtil.mask(source, key, target, offset, length);
  }
  // buffer.isUtf8 exists from Node 18.14; older Nodes keep the core's validator.
  const isUtf8 = (buffer as { isUtf8?: (input: Uint8Array) => boolean }).isUtf8;
  if (typeof isUtf8 === 'function') accelerators.nativeUtf8Check = isUtf8;
  return accelerators;
}

/** Resolved once per process, like `ws`. */
export const accelerators = nodeAccelerators();

/**
 * The accept key's SHA-1 (RFC 6455 §4.2.2) from `node:crypto`, base64 straight out of OpenSSL:
 * 0.85 µs a handshake against 2.1 µs for the core's pure one, with no intermediate bytes (issue 21).
 */
export const nativeSha1Base64: Sha1Base64 = (ascii) => createHash('sha1').update(ascii, 'latin1').digest('base64');
