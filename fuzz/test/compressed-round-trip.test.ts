import fc from 'fast-check';
import { constants, deflateRawSync } from 'node:zlib';
import { Connection, type ConnectionEvent, PENDING, createPerMessageDeflate } from '@sansock/core';
import { describe, expect, it } from 'vitest';
import { codecNamed } from '../src/deflate-api.js';
import { OP, encodeRawFrame } from '../src/wire.js';
import { checkCompressedRoundTrip, compressedHostile, compressedRoundTrip, compressionStats } from '../src/properties/compressed-round-trip.js';
import { runParameters } from '../src/runs.js';

describe('permessage-deflate round trip (RFC 7692)', () => {
  it('random parameters, per-message compression, pure-TS ↔ node:zlib codecs, any chunking: the peer sees what was sent', async () => {
    await fc.assert(fc.asyncProperty(compressedRoundTrip.arbitrary, checkCompressedRoundTrip), runParameters(compressedRoundTrip.ciRuns));
    // Not vacuous: many runs really compressed something (about half do; a quarter leaves room
    // for the randomness of the generated runs so the check never flakes).
    expect(compressionStats.compressedMessages).toBeGreaterThan(compressionStats.runs / 4);
  }, 120_000);

  it('mutated compressed streams, small maxPayload: no throw, settles, wire-legal close codes, inflate bounded', async () => {
    await fc.assert(fc.asyncProperty(compressedHostile.arbitrary, compressedHostile.check), runParameters(compressedHostile.ciRuns));
  }, 120_000);

  for (const codec of ['pure', 'zlib'] as const) {
    it(`a zip bomb (16 MiB of zeros in ~16 KiB) gets 1009 with maxPayload 1 KiB (${codec} codec)`, async () => {
      const client = createPerMessageDeflate({ role: 'client' }, codecNamed(codec));
      const server = createPerMessageDeflate({ role: 'server' }, codecNamed(codec));
      const accepted = server.accept(client.offers())!;
      const receiver = new Connection({ role: 'server', extensions: [accepted.extension], maxPayload: 1024 });
      // Built with node:zlib directly (not the code under test): deflate, sync flush, drop the 00 00 FF FF trailer (RFC 7692 §7.2.1).
      const deflated = deflateRawSync(Buffer.alloc(16 * 1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
      const payload = deflated.subarray(0, deflated.length - 4);
      expect(payload.length).toBeLessThan(20_000);
      receiver.receiveData(encodeRawFrame({ fin: true, rsv: 0x40, opcode: OP.BINARY, payload, mask: Uint8Array.of(1, 2, 3, 4) }));
      const events: ConnectionEvent[] = [];
      for (let i = 0; i < 10_000; i++) {
        const event = receiver.nextEvent();
        if (event === PENDING) await new Promise((resolve) => setImmediate(resolve));
        else if (typeof event === 'symbol') break;
        else events.push(event);
      }
      expect(events.filter((e) => e.type === 'message')).toEqual([]);
      const error = events.find((e) => e.type === 'error');
      expect(error?.type === 'error' && (error.error as { closeCode?: number }).closeCode).toBe(1009);
    });
  }
});
