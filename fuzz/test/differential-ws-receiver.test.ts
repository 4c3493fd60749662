import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithWs } from '../src/differential.js';
import { differentialWs } from '../src/properties/differential-ws.js';
import { runParameters } from '../src/runs.js';
import { fromHex } from '../src/bytes.js';

describe('differential: our Connection vs the ws Receiver on the same bytes', () => {
  it('agree on messages, control frames, accept/reject and the close code (or a documented difference)', () => {
    fc.assert(fc.property(differentialWs.arbitrary, (input) => differentialWs.check(input)), runParameters(differentialWs.ciRuns));
  });

  // One example per documented difference, so DIFFERENCES.md stays true.
  it('D1: ws rejects a ping announcing 126+ bytes after 2 bytes; we once the header is whole', () => {
    const c = compareWithWs(fromHex('89fe01'), 'server', 0);
    expect(c.theirs.ending).toMatchObject({ kind: 'error', closeCode: 1002 });
    expect(c.ours.ending).toEqual({ kind: 'incomplete' });
    expect(c.difference).toBe('D1-header-parsed-whole');
  });

  it('D2: we fail a fragment with invalid UTF-8 at once; ws waits for the message end', () => {
    // Masked text frame, FIN=0, payload "a" 0xFF, key 00000000.
    const c = compareWithWs(fromHex('0182 00000000 61ff'), 'server', 0);
    expect(c.ours.ending).toMatchObject({ kind: 'error', closeCode: 1007, at: 8 });
    expect(c.theirs.ending).toEqual({ kind: 'incomplete' });
    expect(c.difference).toBe('D2-utf8-fail-fast');
  });

  it('D3: a 64-bit length with the top bit set is 1002 for us, 1009 for ws', () => {
    const c = compareWithWs(fromHex('82ff 8000000000000000 00000000'), 'server', 0);
    expect(c.ours.ending).toMatchObject({ kind: 'error', closeCode: 1002 });
    expect(c.theirs.ending).toMatchObject({ kind: 'error', closeCode: 1009 });
    expect(c.difference).toBe('D3-length-top-bit');
  });

  it('D4: a reserved opcode with a huge 64-bit length: we report the length, ws the opcode', () => {
    const c = compareWithWs(fromHex('83ff 0100000000000000 00000000'), 'server', 0);
    expect(c.ours.ending).toMatchObject({ kind: 'error', closeCode: 1009 });
    expect(c.theirs.ending).toMatchObject({ kind: 'error', closeCode: 1002 });
    expect(c.difference).toBe('D4-length-checked-first');
  });

  it('agree exactly on a valid fragmented text message with a ping in between', () => {
    // "Hel" (FIN=0), ping "x", "lo" (FIN=1): unmasked, read by a client.
    const c = compareWithWs(fromHex('010348656c 890178 80026c6f'), 'client', 0);
    expect(c.agree && c.difference === undefined).toBe(true);
    expect(c.ours.observations.map((o) => o.kind)).toEqual(['ping', 'message']);
  });
});

describe('differential: documented difference D5', () => {
  it('D5: a pong whose length 3 sits in the 64-bit field: ws refuses it, we deliver it', () => {
    const c = compareWithWs(fromHex('8a7f0000000000000003 616263'), 'client', 0);
    expect(c.theirs.ending).toMatchObject({ kind: 'error', closeCode: 1002, code: 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH' });
    expect(c.ours.observations.map((o) => o.kind)).toEqual(['pong']);
    expect(c.difference).toBe('D5-control-length-non-minimal');
  });
});
