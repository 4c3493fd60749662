/**
 * The `ws` shapes of `ping()`, `pong()` and `close()` on an open connection: the argument checks
 * `ws` makes (with its error types) in front of the driver, which owns the frames themselves.
 */
import { InvalidArgumentError, MAX_CLOSE_REASON_BYTES, isAllowedOnWire } from '@sansock/core';
import { MAX_CONTROL_PAYLOAD } from '@sansock/core/frames';
import type { Driver } from '@sansock/core/driver';
import { readBlob } from './data.js';
import type { SendCallback } from './types.js';

/** Sends a ping or pong on an open connection; a payload over 125 bytes (RFC 6455 §5.5) is a RangeError, as in `ws`. */
export function sendControlFrame(
  driver: Driver,
  kind: 'ping' | 'pong',
  payload: string | Uint8Array | Blob,
  callback: SendCallback | undefined,
): void {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    // ws checks a Blob's size up front too.
    if (payload.size > MAX_CONTROL_PAYLOAD) throw new RangeError(`The data size must not be greater than ${MAX_CONTROL_PAYLOAD} bytes`);
    driver.sendAsync(kind, readBlob(payload), payload.size, undefined, callback);
    return;
  }
  try {
    if (kind === 'ping') driver.ping(payload, callback);
    else driver.pong(payload, callback);
  } catch (error) {
    // `ws` throws a RangeError for a control payload over 125 bytes.
    if (error instanceof InvalidArgumentError) throw new RangeError(error.message);
    throw error;
  }
}

/**
 * `close(code, reason)` on an open connection: a code that may not be sent (RFC 6455 §7.4) is a
 * TypeError and a reason over 123 bytes (§5.5.1) a RangeError, with `ws`'s messages.
 */
export function checkCloseArguments(code: number | undefined, reason: string | Buffer | undefined): void {
  if (code !== undefined && (typeof code !== 'number' || !isAllowedOnWire(code))) {
    throw new TypeError('First argument must be a valid error code number');
  }
  if (reason !== undefined && Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) {
    throw new RangeError(`The message must not be greater than ${MAX_CLOSE_REASON_BYTES} bytes`);
  }
}
