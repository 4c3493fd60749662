/**
 * Presence traffic between processes (bus channel 2, JSON: it is small and rare next to
 * publishes). Every process numbers its own changes; a receiver that sees a gap in a process's
 * numbers (a message lost while the bus was down) asks that process for its whole state.
 */
export type PresenceMessage =
  /** A member joined a room on the sender (its first socket there); `v` is the sender's change number. */
  | { readonly t: 'join'; readonly v: number; readonly room: string; readonly member: string }
  /** A member left a room on the sender (its last socket there). */
  | { readonly t: 'leave'; readonly v: number; readonly room: string; readonly member: string }
  /** "I am alive, at change `v`; forget me if you hear nothing for `ttl` ms." */
  | { readonly t: 'beat'; readonly v: number; readonly ttl: number }
  /** "Send me your whole state" (`to`: one process's id, or every process when absent). */
  | { readonly t: 'sync'; readonly to?: string }
  /** The sender's whole state at change `v`: room → members. */
  | { readonly t: 'state'; readonly v: number; readonly ttl: number; readonly rooms: Readonly<Record<string, readonly string[]>> }
  /** The sender is shutting down: its members are gone now. */
  | { readonly t: 'bye' };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodePresence(message: PresenceMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isTtl = (value: unknown): value is number => typeof value === 'number' && value > 0 && Number.isFinite(value);

/** The message, or undefined for anything malformed (it is ignored: the bus is shared). */
export function decodePresence(bytes: Uint8Array): PresenceMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.t) {
    case 'join':
    case 'leave':
      return isCount(m.v) && typeof m.room === 'string' && typeof m.member === 'string' ? (m as PresenceMessage) : undefined;
    case 'beat':
      return isCount(m.v) && isTtl(m.ttl) ? (m as PresenceMessage) : undefined;
    case 'sync':
      return m.to === undefined || typeof m.to === 'string' ? (m as PresenceMessage) : undefined;
    case 'state': {
      if (!isCount(m.v) || !isTtl(m.ttl) || typeof m.rooms !== 'object' || m.rooms === null) return undefined;
      for (const members of Object.values(m.rooms)) {
        if (!Array.isArray(members) || !members.every((member) => typeof member === 'string')) return undefined;
      }
      return m as PresenceMessage;
    }
    case 'bye':
      return m as PresenceMessage;
    default:
      return undefined;
  }
}
