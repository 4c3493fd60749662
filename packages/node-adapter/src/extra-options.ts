/**
 * The ws-style API's options that `ws` has not (keepAlive, fragmentOutgoing), checked when the
 * WebSocket or WebSocketServer is created, as `ws` checks its own: a bad value throws there,
 * not later inside a socket's upgrade. The driver and the core check them again (one source of
 * the rules); this only moves the error to where the caller can catch it.
 */
import { InvalidArgumentError } from '@sansock/core';
import type { WebSocketOptions } from './types.js';

export function checkExtraOptions(options: WebSocketOptions): void {
  const { keepAlive, fragmentOutgoing } = options;
  if (keepAlive !== undefined) {
    requirePositive(keepAlive.interval, 'keepAlive.interval');
    if (keepAlive.timeout !== undefined) requirePositive(keepAlive.timeout, 'keepAlive.timeout');
  }
  if (fragmentOutgoing !== undefined) requirePositive(fragmentOutgoing.threshold, 'fragmentOutgoing.threshold');
}

function requirePositive(value: unknown, name: string): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${name} must be a positive number, got ${String(value)}`);
  }
}
