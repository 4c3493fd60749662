import fc from 'fast-check';
import { describe, it } from 'vitest';
import { connectionPair, connectionPairLossy } from '../src/properties/connection-pair.js';
import { runParameters } from '../src/runs.js';

describe('client ↔ server Connections over a network that splits, delays and coalesces', () => {
  it('deliver every message in order and close cleanly from either side, or both at once', () => {
    fc.assert(fc.property(connectionPair.arbitrary, (script) => connectionPair.check(script)), runParameters(connectionPair.ciRuns));
  });

  it('when the network dies (one or both directions), each side still ends closed once, with a prefix of the messages, 1006 unless it saw a close frame', () => {
    fc.assert(fc.property(connectionPairLossy.arbitrary, (script) => connectionPairLossy.check(script)), runParameters(connectionPairLossy.ciRuns));
  });
});
