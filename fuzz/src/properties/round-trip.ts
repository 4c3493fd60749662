/**
 * Round trip: whatever an application sends through one Connection reaches the peer
 * Connection, whatever the transport does to the byte boundaries (DESIGN: "Incremental").
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Chunking, type SendOp, chunking, cut, sendOp } from '../arbitraries.js';
import { readStream } from '../drive.js';
import { sendAll } from '../send.js';
import { defineProperty } from './property.js';

export interface RoundTripInput {
  readonly sender: 'client' | 'server';
  readonly fragmentSize: number | undefined;
  readonly ops: readonly SendOp[];
  readonly chunking: Chunking;
}

export const roundTrip = defineProperty<RoundTripInput>({
  name: 'round-trip',
  ciRuns: 500,
  arbitrary: fc.record({
    sender: fc.constantFrom('client' as const, 'server' as const),
    fragmentSize: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
    ops: fc.array(sendOp(), { maxLength: 8 }),
    chunking: chunking(),
  }),
  check({ sender, fragmentSize, ops, chunking: how }) {
    const { stream, expected } = sendAll(sender, fragmentSize, ops);
    const receiver = sender === 'client' ? 'server' : 'client';
    const result = readStream({ role: receiver }, cut(stream, how));
    assert.deepEqual(result.ending, { kind: 'incomplete' }, 'a valid stream must not fail or close the connection');
    assert.deepEqual(
      result.observations.map(({ at: _at, ...rest }) => rest),
      expected,
    );
  },
});
