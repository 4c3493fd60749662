/** Driving a core Connection with bytes and reading back what a user of it would see. */
import { Connection, type ConnectionEvent, type ConnectionOptions, DONE, NEED_DATA, PENDING, ProtocolError } from '@sansock/core';
import { concat } from './bytes.js';

/**
 * Every event until the connection has nothing more to say. Throws if it does not settle:
 * a well-behaved connection yields a bounded number of events per byte fed.
 */
export function drain(conn: Connection, limit = 100_000): ConnectionEvent[] {
  const events: ConnectionEvent[] = [];
  for (let i = 0; i < limit; i++) {
    const event = conn.nextEvent();
    if (event === NEED_DATA || event === PENDING || event === DONE) return events;
    events.push(event);
  }
  throw new Error(`nextEvent() did not settle after ${limit} events`);
}

/** What a receiver observed, in order, with the stream offset (bytes fed) at which it appeared. */
export type Observation =
  | { readonly kind: 'message'; readonly binary: boolean; readonly data: Uint8Array; readonly at: number }
  | { readonly kind: 'ping' | 'pong'; readonly data: Uint8Array; readonly at: number }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string; readonly at: number };

/** How reading a stream ended. */
export type Ending =
  | { readonly kind: 'error'; readonly closeCode: number; readonly code: string; readonly message: string; readonly at: number }
  | { readonly kind: 'close'; readonly at: number }
  | { readonly kind: 'incomplete' };

export interface ReadResult {
  readonly observations: Observation[];
  readonly ending: Ending;
  /** Everything the connection wrote back (pongs, close frames). */
  readonly written: Uint8Array;
  /** Every raw event, for properties that look at directives. */
  readonly events: ConnectionEvent[];
}

/**
 * Feeds `stream` in the given pieces (copies: the connection unmasks in place) and records what
 * came out. Offsets are exact to the piece: pass one-byte pieces to learn the exact byte.
 */
export function readStream(options: ConnectionOptions, pieces: readonly Uint8Array[], afterEachDrain?: (conn: Connection) => void): ReadResult {
  const conn = new Connection(options);
  const observations: Observation[] = [];
  const events: ConnectionEvent[] = [];
  let ending: Ending = { kind: 'incomplete' };
  let fed = 0;
  for (const piece of pieces) {
    conn.receiveData(piece.slice());
    fed += piece.length;
    for (const event of drain(conn)) {
      events.push(event);
      switch (event.type) {
        case 'message':
          observations.push({ kind: 'message', binary: event.binary, data: event.data.slice(), at: fed });
          break;
        case 'ping':
        case 'pong':
          observations.push({ kind: event.type, data: event.data.slice(), at: fed });
          break;
        case 'close':
          observations.push({ kind: 'close', code: event.code, reason: event.reason, at: fed });
          if (ending.kind === 'incomplete') ending = { kind: 'close', at: fed };
          break;
        case 'error': {
          const error = event.error;
          const closeCode = error instanceof ProtocolError ? error.closeCode : -1;
          if (ending.kind === 'incomplete') ending = { kind: 'error', closeCode, code: error.code, message: error.message, at: fed };
          break;
        }
        default:
          break;
      }
    }
    afterEachDrain?.(conn);
  }
  return { observations, ending, written: concat(conn.takeOutput()), events };
}

/** One byte at a time. */
export const bytewise = (stream: Uint8Array): Uint8Array[] => Array.from(stream, (byte) => Uint8Array.of(byte));
