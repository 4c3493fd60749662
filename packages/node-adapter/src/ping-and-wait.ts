/**
 * `WebSocket#pingAndWait` (not in `ws`): a ping whose promise settles on the matching pong.
 * `ws`'s `ping(data, mask, cb)` calls back once the ping is *written*, and code relies on that,
 * so the wait is a separate method; the waiting itself is the driver's (pong-waiters.ts), shared
 * with faye's `ping(message, callback)`.
 */
import { InvalidArgumentError } from '@sansock/core';
import type { Driver } from '@sansock/core/driver';
import { MAX_CONTROL_PAYLOAD } from '@sansock/core/frames';
import { READY_STATE_NAMES, type ReadyState } from './constants.js';
import { toPayload } from './data.js';

/** The ping payloads `pingAndWait` may be given: a Blob is not (its bytes are not known at once). */
export type PingPayload = string | number | Buffer | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | readonly Buffer[];

export interface PingAndWaitOptions {
  /** Milliseconds to wait for the pong before rejecting (code `WS_ERR_PONG_TIMEOUT`). Default: until the socket closes. */
  timeout?: number;
}

/** Payloads of pings sent without one: distinct in this process, so an unsolicited pong (§5.5.3) answers none of them. */
let counter = 0;

export function pingAndWait(
  driver: Driver | null,
  readyState: ReadyState,
  data: PingPayload | undefined,
  options: PingAndWaitOptions | undefined,
): Promise<number> {
  if (driver === null || !driver.isOpen) {
    return Promise.reject(new Error(`WebSocket is not open: readyState ${readyState} (${READY_STATE_NAMES[readyState]})`));
  }
  const timeout = options?.timeout;
  if (timeout !== undefined && !(timeout > 0)) return Promise.reject(new RangeError('The timeout must be a positive number of milliseconds'));
  const payload = data === undefined ? `sansock-ping-${++counter}` : toPayload(data);
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return Promise.reject(new TypeError('A Blob cannot be a pingAndWait payload'));
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    try {
      driver.pingAndWait(payload, (error) => (error === null ? resolve(performance.now() - sentAt) : reject(error)), { timeout });
    } catch (error) {
      // Like `ws`'s ping: a payload over 125 bytes (§5.5) is a RangeError.
      reject(error instanceof InvalidArgumentError ? new RangeError(`The data size must not be greater than ${MAX_CONTROL_PAYLOAD} bytes`) : error);
    }
  });
}
