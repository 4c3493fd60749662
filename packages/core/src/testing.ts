/**
 * @sansock/core/testing: probes for test suites and fuzzers, which must not reach into private
 * fields. Not for production code: what they report is an implementation detail, stable only in
 * that the core's own type-check breaks (not the caller's test silently) if it changes.
 */
import type { Connection } from './connection.js';

/**
 * Bytes the connection's frame layer holds unparsed: a partial header (≤ 14 bytes) or a control
 * frame's partial payload (≤ 125). Message bytes being assembled are not counted here;
 * `Connection.heldBytes` counts everything.
 */
export function unparsedFrameBytes(connection: Connection): number {
  // Element access reaches the private field and is still type-checked here, in the core.
  return connection['parser'].buffered;
}
