import fc from 'fast-check';
import { describe, it } from 'vitest';
import { oversizedMessage } from '../src/properties/oversized-message.js';
import { runParameters } from '../src/runs.js';

describe('maxPayload is enforced from the frame header', () => {
  it('a header announcing more than maxPayload (1 KiB) gets 1009 before any payload is buffered', () => {
    fc.assert(fc.property(oversizedMessage.arbitrary, (input) => oversizedMessage.check(input)), runParameters(oversizedMessage.ciRuns));
  });
});
