import { deflateRawSync, constants } from 'node:zlib';
import { Opcode, encodeFrame } from '@sansock/core/frames';

/** RSV1: "this message is compressed" under permessage-deflate (RFC 7692 §6). */
const RSV1 = 0x40;

/** How many frames a publish built and compressed: tests count work, never time. */
export interface PublishCounters {
  /** Frames serialised (one per publish and frame shape, never one per member). */
  framesBuilt: number;
  /** Payloads deflated for shared frames. */
  compressions: number;
  /** Members that got the message through their own `send` (context takeover). */
  perSocketSends: number;
}

/** A server frame (unmasked, §5.1) of one whole message: the same bytes suit every member. */
export function buildPlainFrame(payload: Uint8Array, binary: boolean): Uint8Array[] {
  return encodeFrame(binary ? Opcode.BINARY : Opcode.TEXT, payload, { fin: true, rsv: 0, maskKey: undefined });
}

/**
 * A compressed frame (RFC 7692 §7.2.1): raw deflate with a sync flush, its trailing
 * 00 00 FF FF removed. Compressed on its own, with no earlier context, so any peer that
 * negotiated server_no_context_takeover and a window of at least `windowBits` inflates it.
 */
export function buildDeflatedFrame(payload: Uint8Array, binary: boolean, windowBits: number): Uint8Array[] {
  const deflated = deflateRawSync(payload, { windowBits, finishFlush: constants.Z_SYNC_FLUSH });
  const body = deflated.subarray(0, deflated.length - 4);
  return encodeFrame(binary ? Opcode.BINARY : Opcode.TEXT, body, { fin: true, rsv: RSV1, maskKey: undefined });
}
