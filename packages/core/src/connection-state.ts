import { InvalidStateError } from './errors.js';

/** Where the connection is in its life (RFC 6455 §7). One enum, transitions written once below. */
export const ConnectionState = {
  OPEN: 'OPEN',
  /** We sent a close frame and read on until the peer's (§7.1.2). */
  CLOSE_SENT: 'CLOSE_SENT',
  /** Both close frames have been exchanged; waiting for the transport to close (§7.1.1). */
  CLOSE_EXCHANGED: 'CLOSE_EXCHANGED',
  /** We failed the connection (§7.1.7); input is ignored until the transport closes. */
  FAILED: 'FAILED',
  /** The transport is closed (§7.1.4). Terminal. */
  CLOSED: 'CLOSED',
} as const;

export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** Things that move the state. */
export type ConnectionTransition = 'send-close' | 'receive-close' | 'fail' | 'transport-closed';

const { OPEN, CLOSE_SENT, CLOSE_EXCHANGED, FAILED, CLOSED } = ConnectionState;

const TRANSITIONS: Readonly<Record<ConnectionState, Partial<Record<ConnectionTransition, ConnectionState>>>> = {
  [OPEN]: { 'send-close': CLOSE_SENT, 'receive-close': CLOSE_EXCHANGED, fail: FAILED, 'transport-closed': CLOSED },
  [CLOSE_SENT]: { 'receive-close': CLOSE_EXCHANGED, fail: FAILED, 'transport-closed': CLOSED },
  [CLOSE_EXCHANGED]: { 'transport-closed': CLOSED },
  [FAILED]: { 'transport-closed': CLOSED },
  [CLOSED]: {},
};

/** The next state, or an InvalidStateError naming role, state and transition. */
export function nextState(role: string, state: ConnectionState, transition: ConnectionTransition): ConnectionState {
  const next = TRANSITIONS[state][transition];
  if (next === undefined) throw new InvalidStateError(role, state, transition);
  return next;
}

/** The `readyState` a WebSocket API reports for a state (WHATWG: 1 OPEN, 2 CLOSING, 3 CLOSED). */
export function readyStateOf(state: ConnectionState): 1 | 2 | 3 {
  return state === OPEN ? 1 : state === CLOSED ? 3 : 2;
}
