import fc from 'fast-check';
import { describe, it } from 'vitest';
import { roundTrip } from '../src/properties/round-trip.js';
import { runParameters } from '../src/runs.js';

describe('message sequences round-trip through any chunking', () => {
  it('client → server and server → client: text, binary, empty, fragmented, interleaved control frames', () => {
    fc.assert(fc.property(roundTrip.arbitrary, (input) => roundTrip.check(input)), runParameters(roundTrip.ciRuns));
  });
});
