import fc from 'fast-check';
import { describe, it } from 'vitest';
import { hostileBytes } from '../src/properties/parser-robustness.js';
import { runParameters } from '../src/runs.js';

describe('the receive path on arbitrary and mutated byte streams', () => {
  it('never throws, settles, rejects only with wire-legal close codes it also writes, holds ≤ 139 unparsed bytes', () => {
    fc.assert(fc.property(hostileBytes.arbitrary, (input) => hostileBytes.check(input)), runParameters(hostileBytes.ciRuns));
  });
});
