/** Constants of the `ws` API: the readyState values (as `ws` and browsers number them) and the close timeout. */
import { DEFAULT_CLOSE_TIMEOUT } from '@sansock/core/driver';

/** How long to wait for the peer's side of the closing handshake before destroying the socket (ms): the driver's default. */
export const CLOSE_TIMEOUT = DEFAULT_CLOSE_TIMEOUT;

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;
export const READY_STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;
