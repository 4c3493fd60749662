/**
 * Memory: however a peer cuts a message into fragments (one byte each, kilobytes each, or a mix
 * with control frames between them) and however the reads fall, what the connection holds for
 * it stays a small multiple of the bytes the message has carried (CVE-2026-48779 shape):
 * `Connection.heldBytes` ≤ 2.5 × carried + 64 KiB (one read a view may pin) + 384 (the
 * coalescing tail) + one unparsed frame head.
 * `heldBytes` counts capacity and per-piece overhead, so views that pin whole reads, or a
 * million tiny objects, would break the bound.
 */
import assert from 'node:assert/strict';
import { Connection } from '@sansock/core';
import fc from 'fast-check';
import { concat } from '../bytes.js';
import { drain } from '../drive.js';
import { OP, encodeRawFrame } from '../wire.js';
import { MAX_UNPARSED } from './parser-robustness.js';
import { defineProperty } from './property.js';

export interface UnfinishedMessageInput {
  readonly role: 'client' | 'server';
  /** Payload size of each data frame of the message, in order. */
  readonly fragments: readonly number[];
  /** Pings sent before each fragment (0 = none), cycled. */
  readonly pingsBefore: readonly number[];
  /** Whether the last fragment has FIN set (the message completes). */
  readonly finish: boolean;
  /** Read sizes, cycled over the stream. */
  readonly reads: readonly number[];
}

const fragmentSize = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 8 }) },
  { weight: 3, arbitrary: fc.integer({ min: 9, max: 2048 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2049, max: 70_000 }) },
);

export function bound(carried: number): number {
  return 2.5 * carried + 64 * 1024 + 384 + MAX_UNPARSED;
}

export const unfinishedMessageMemory = defineProperty<UnfinishedMessageInput>({
  name: 'unfinished-message-memory',
  ciRuns: 60,
  arbitrary: fc.record({
    role: fc.constantFrom('client' as const, 'server' as const),
    fragments: fc.array(fragmentSize, { minLength: 1, maxLength: 400 }),
    pingsBefore: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
    finish: fc.boolean(),
    reads: fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 70_000 })), { minLength: 1, maxLength: 8 }),
  }),
  check(input) {
    const mask = input.role === 'server' ? Uint8Array.of(1, 2, 3, 4) : undefined;
    const last = input.fragments.length - 1;
    // The stream, and for each data frame where its payload starts and ends in it.
    const parts: Uint8Array[] = [];
    const payloads: { start: number; end: number }[] = [];
    let offset = 0;
    input.fragments.forEach((size, i) => {
      const pings = input.pingsBefore[i % input.pingsBefore.length]!;
      for (let p = 0; p < pings; p++) {
        const ping = encodeRawFrame({ fin: true, rsv: 0, opcode: OP.PING, payload: new Uint8Array(p * 40), mask });
        parts.push(ping);
        offset += ping.length;
      }
      const data = encodeRawFrame({
        fin: input.finish && i === last,
        rsv: 0,
        opcode: i === 0 ? OP.BINARY : OP.CONT,
        payload: new Uint8Array(size).fill(i & 0xff),
        mask,
      });
      parts.push(data);
      payloads.push({ start: offset + data.length - size, end: offset + data.length });
      offset += data.length;
    });
    const stream = concat(parts);
    const carriedBy = (fed: number) => payloads.reduce((sum, p) => sum + Math.max(0, Math.min(fed, p.end) - p.start), 0);

    // No fragment cap, no payload cap: only the coalescing bounds memory here.
    const conn = new Connection({ role: input.role, maxFragments: 0, maxPayload: 0 });
    let fed = 0;
    for (let r = 0; fed < stream.length; r++) {
      const size = input.reads[r % input.reads.length]!;
      conn.receiveData(stream.slice(fed, fed + size));
      fed = Math.min(stream.length, fed + size);
      const events = drain(conn);
      for (const event of events) assert.ok(event.type === 'ping' || event.type === 'message', `unexpected ${event.type}`);
      if (events.some((e) => e.type === 'message')) {
        assert.equal(fed, stream.length, 'the message completes only with its last frame');
        const message = events.find((e) => e.type === 'message')!;
        assert.equal(message.type === 'message' && message.data.length, carriedBy(fed));
        return;
      }
      const carried = carriedBy(fed);
      assert.ok(conn.heldBytes <= bound(carried), `held ${conn.heldBytes} bytes for a message that carried ${carried}`);
    }
    assert.ok(!input.finish, 'a finished message was never delivered');
  },
});
