/**
 * Comparing what our Connection and ws's Receiver make of the same bytes. They must agree on
 * the messages, pings, pongs and close frames delivered, and on accept/reject with the close
 * code, except for the intentional differences listed in fuzz/DIFFERENCES.md (D1-D5), each
 * recognised here by a precise test, never by "both rejected somehow".
 */
import type { ConnectionOptions } from '@sansock/core';
import { concat } from './bytes.js';
import { type Ending, type Observation, bytewise, readStream } from './drive.js';
import { walkFrames } from './wire.js';
import { readWithWs } from './ws-receiver.js';

export type Difference =
  | 'D1-header-parsed-whole'
  | 'D2-utf8-fail-fast'
  | 'D3-length-top-bit'
  | 'D4-length-checked-first'
  | 'D5-control-length-non-minimal';

export interface Comparison {
  readonly agree: boolean;
  /** The documented difference that explains a disagreement, if one does. */
  readonly difference: Difference | undefined;
  readonly detail: string;
  readonly ours: { observations: Observation[]; ending: Ending };
  readonly theirs: { observations: Observation[]; ending: Ending };
}

const failAt = (e: Ending): number => (e.kind === 'error' ? e.at : Infinity);
const strip = (list: readonly Observation[], before: number) =>
  list.filter((o) => o.at < before).map(({ at: _at, ...rest }) => ({ ...rest, ...('data' in rest ? { data: Array.from(rest.data) } : {}) }));

/** D1: ws fails from a header's first bytes; we fail once the header (or a control payload) is whole. */
function completesToSameError(stream: Uint8Array, options: ConnectionOptions, closeCode: number): boolean {
  // Complete the last header with zero bytes, then a control frame's payload (at most 125 bytes).
  let padded = concat([stream, new Uint8Array(walkFrames(stream).headerBytesMissing)]);
  const last = walkFrames(padded).frames.at(-1);
  if (last !== undefined && last.payload === undefined && last.opcode >= 8 && last.length <= 125) {
    padded = concat([padded, new Uint8Array(last.start + last.headerSize + last.length - padded.length)]);
  }
  if (padded.length === stream.length) return false;
  const result = readStream(options, bytewise(padded));
  const e = result.ending;
  // Same code, or D4 (the length, read first, was already out of range in the bytes received).
  return e.kind === 'error' && e.at > stream.length && (e.closeCode === closeCode || e.code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH');
}

/** D5: ws refuses a control frame whose 7-bit length field is 126/127 even when the length it encodes is ≤ 125. */
function isNonMinimalControlLength(stream: Uint8Array, wsErrorAt: number): boolean {
  const start = wsErrorAt - 2;
  if (start < 0) return false;
  const b0 = stream[start]!;
  const len7 = stream[start + 1]! & 0x7f;
  if ((b0 & 0x08) === 0 || len7 < 126) return false;
  const frame = walkFrames(stream.subarray(start)).frames[0];
  return frame === undefined || frame.length <= 125;
}

export function compareWithWs(stream: Uint8Array, role: 'server' | 'client', maxPayload: number): Comparison {
  const options: ConnectionOptions = { role, maxPayload };
  const oursFull = readStream(options, bytewise(stream));
  const ours = { observations: oursFull.observations, ending: oursFull.ending };
  const theirs = readWithWs(stream, { isServer: role === 'server', maxPayload });
  const cutoff = Math.min(failAt(ours.ending), failAt(theirs.ending));
  const result = (agree: boolean, detail: string, difference?: Difference): Comparison => ({ agree, detail, difference, ours, theirs });

  const a = strip(ours.observations, cutoff);
  const b = strip(theirs.observations, cutoff);
  if (JSON.stringify(a) !== JSON.stringify(b)) return result(false, 'different messages/control frames delivered');

  const o = ours.ending;
  const t = theirs.ending;
  if (o.kind === t.kind && o.kind !== 'error') return result(true, `both ${o.kind}`);
  if (o.kind === 'error' && t.kind === 'error' && o.closeCode === t.closeCode) return result(true, `both fail with ${o.closeCode}`);

  // D2: we fail a text message at its first invalid byte (§8.1); ws only when it is whole, or never if it is not.
  if (o.kind === 'error' && o.code === 'WS_ERR_INVALID_UTF8' && failAt(t) > o.at) {
    return result(true, `we failed fast with 1007 at byte ${o.at}; ws ${t.kind}`, 'D2-utf8-fail-fast');
  }
  // D1: ws rejected from a partial header; we are still waiting for the header's last bytes.
  if (o.kind === 'incomplete' && t.kind === 'error' && completesToSameError(stream, options, t.closeCode)) {
    return result(true, `ws rejected a partial header with ${t.closeCode}; we do once it is whole`, 'D1-header-parsed-whole');
  }
  // D5: a control frame with a non-minimal length encoding (§5.2 says the sender MUST use the minimal one).
  if (t.kind === 'error' && t.code === 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH' && failAt(o) > t.at && isNonMinimalControlLength(stream, t.at)) {
    return result(true, 'control frame length in a 16/64-bit field: ws refuses it, we read the length it encodes', 'D5-control-length-non-minimal');
  }
  if (o.kind === 'error' && t.kind === 'error') {
    // D3: a 64-bit length with its top bit set breaks §5.2 (1002); ws reports every length over 2^53-1 as 1009.
    if (o.closeCode === 1002 && t.closeCode === 1009 && o.code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH' && t.code === o.code) {
      return result(true, '64-bit length with the top bit set', 'D3-length-top-bit');
    }
    // D4: a header breaking two rules at once; we read the 64-bit length before the other checks.
    if (o.code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH' && t.at <= o.at) {
      return result(true, `we reported the length (${o.closeCode}), ws another rule of the same header (${t.closeCode})`, 'D4-length-checked-first');
    }
  }
  return result(false, `endings differ: ours ${JSON.stringify(o)}, ws ${JSON.stringify(t)}`);
}
