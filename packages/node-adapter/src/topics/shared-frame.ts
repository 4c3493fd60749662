/**
 * The frames of a publish, built once and written to many sockets. A server's frames are
 * unmasked (RFC 6455 §5.1), so the same bytes suit every peer.
 */
import { type ZlibOptions, constants, deflateRawSync } from 'node:zlib';
import { Opcode, encodeFrame } from '@sansock/core/frames';

/** RSV1: "this message is compressed" under permessage-deflate (RFC 7692 §6). */
const RSV1 = 0x40;

/**
 * Up to this size a frame is one Buffer (header and payload copied together once per publish):
 * then every member gets one `socket.write` of it, with no cork/uncork around two chunks.
 */
const ONE_CHUNK_LIMIT = 64 * 1024;

/** How much work publishes did: tests count work, never time. */
export interface PublishCounters {
  /** Frames serialised (one per publish and frame shape, never one per member). */
  framesBuilt: number;
  /** Payloads deflated for shared frames (one per publish and window size). */
  compressions: number;
  /** Members that got the message through their own `send` (their compressor keeps context). */
  perSocketSends: number;
}

/**
 * Buffers, not plain Uint8Arrays: `net.Socket#write` wraps any other Uint8Array in a new
 * Buffer on every call, which would be one allocation per member.
 */
function asSharedChunks(frame: Uint8Array[]): Buffer[] {
  let length = 0;
  for (const chunk of frame) length += chunk.length;
  if (frame.length > 1 && length <= ONE_CHUNK_LIMIT) return [Buffer.concat(frame, length)];
  return frame.map((chunk) => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
}

/** One whole message in one uncompressed frame (§5.2, RSV 0). */
export function buildPlainFrame(payload: Uint8Array, binary: boolean): Buffer[] {
  return asSharedChunks(encodeFrame(binary ? Opcode.BINARY : Opcode.TEXT, payload, { fin: true, rsv: 0, maskKey: undefined }));
}

/**
 * A compressed frame (RFC 7692 §7.2.1): raw deflate with a sync flush, its trailing
 * 00 00 FF FF removed. Compressed on its own, with no earlier context, so any peer that
 * negotiated server_no_context_takeover and a window of at least `windowBits` inflates it.
 * Synchronous, once per publish and window size (not per member).
 */
export function buildDeflatedFrame(payload: Uint8Array, binary: boolean, windowBits: number, zlibOptions: ZlibOptions | undefined): Buffer[] {
  const deflated = deflateRawSync(payload, { ...zlibOptions, windowBits, finishFlush: constants.Z_SYNC_FLUSH });
  const body = deflated.subarray(0, deflated.length - 4);
  return asSharedChunks(encodeFrame(binary ? Opcode.BINARY : Opcode.TEXT, body, { fin: true, rsv: RSV1, maskKey: undefined }));
}
