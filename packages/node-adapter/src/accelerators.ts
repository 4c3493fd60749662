/**
 * Native helpers the core can use instead of its portable loops, picked the way `ws` picks them:
 * `bufferutil` (an optional peer dependency) for masking when it is installed and
 * `WS_NO_BUFFER_UTIL` is not set, and Node's `buffer.isUtf8` for whole text messages.
 * The core stays the judge of the protocol; these only compute an XOR and a yes/no faster.
 */
import * as buffer from 'node:buffer';
import { createRequire } from 'node:module';
import type { ConnectionOptions } from '@sansock/core';

interface BufferUtil {
  unmask(data: Buffer, key: Buffer): void;
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function loadBufferUtil(): BufferUtil | undefined {
  if (process.env.WS_NO_BUFFER_UTIL) return undefined;
  try {
    const loaded = createRequire(import.meta.url)('bufferutil') as Partial<BufferUtil>;
    return typeof loaded.unmask === 'function' ? (loaded as BufferUtil) : undefined;
  } catch {
    return undefined; // not installed: the core's own masking loop is used
  }
}

function nodeAccelerators(): Pick<ConnectionOptions, 'nativeMask' | 'nativeUtf8Check'> {
  const accelerators: { nativeMask?: ConnectionOptions['nativeMask']; nativeUtf8Check?: ConnectionOptions['nativeUtf8Check'] } = {};
  const bufferUtil = loadBufferUtil();
  if (bufferUtil !== undefined) accelerators.nativeMask = (data, key) => bufferUtil.unmask(asBuffer(data), asBuffer(key));
  // buffer.isUtf8 exists from Node 18.14; older Nodes keep the core's validator.
  const isUtf8 = (buffer as { isUtf8?: (input: Uint8Array) => boolean }).isUtf8;
  if (typeof isUtf8 === 'function') accelerators.nativeUtf8Check = isUtf8;
  return accelerators;
}

/** Resolved once per process, like `ws`. */
export const accelerators = nodeAccelerators();
