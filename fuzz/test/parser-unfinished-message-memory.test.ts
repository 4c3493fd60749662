import fc from 'fast-check';
import { describe, it } from 'vitest';
import { unfinishedMessageMemory } from '../src/properties/unfinished-message-memory.js';
import { runParameters } from '../src/runs.js';

describe('memory held for an unfinished message', () => {
  it('stays within 2.5x the bytes it carried (+ one read), whatever the fragment sizes, pings and reads', () => {
    fc.assert(
      fc.property(unfinishedMessageMemory.arbitrary, (input) => unfinishedMessageMemory.check(input)),
      runParameters(unfinishedMessageMemory.ciRuns),
    );
  });
});
