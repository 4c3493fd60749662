/** Differential: our Connection and ws's Receiver agree on the same bytes (see src/differential.ts). */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toHex } from '../bytes.js';
import { peerStream } from '../arbitraries.js';
import { compareWithWs } from '../differential.js';
import { defineProperty } from './property.js';

export interface DifferentialInput {
  readonly role: 'server' | 'client';
  readonly stream: Uint8Array;
  readonly maxPayload: number;
}

export const differentialWs = defineProperty<DifferentialInput>({
  name: 'differential-ws',
  ciRuns: 1200,
  arbitrary: fc.constantFrom('server' as const, 'client' as const).chain((role) =>
    fc.record({
      role: fc.constant(role),
      stream: peerStream(role === 'server').filter((s) => s.length <= 20_000),
      maxPayload: fc.constantFrom(0, 100, 1024, 100 * 1024 * 1024),
    }),
  ),
  check({ role, stream, maxPayload }) {
    const comparison = compareWithWs(stream, role, maxPayload);
    assert.ok(
      comparison.agree,
      `ws and sansock disagree (${comparison.detail}) on ${toHex(stream).slice(0, 400)}\nours: ${JSON.stringify(comparison.ours.ending)}\nws: ${JSON.stringify(comparison.theirs.ending)}`,
    );
  },
});
