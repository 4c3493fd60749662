/**
 * The receive path on hostile input: arbitrary bytes and mutated valid streams. It never
 * throws, always settles, reports every rejection as an `error` event with a close code that
 * may go on the wire, writes that code in its close frame, and holds a bounded number of bytes.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Connection, DONE, isAllowedOnWire } from '@sansock/core';
import { unparsedFrameBytes } from '@sansock/core/testing';
import { type Chunking, chunking, cut, peerStream } from '../arbitraries.js';
import { isStrictUtf8 } from '../bytes.js';
import { type ReadResult, drain, readStream } from '../drive.js';
import { firstCloseCode } from '../wire.js';
import { defineProperty } from './property.js';

/** A header (≤ 14 bytes) or a control frame's payload (≤ 125) is all the frame layer may hold back. */
export const MAX_UNPARSED = 14 + 125;

/** The bytes a Connection's frame layer holds unparsed, through the core's test hook. */
export function unparsedBytes(conn: Connection): number {
  return unparsedFrameBytes(conn);
}

export interface HostileInput {
  readonly role: 'client' | 'server';
  readonly stream: Uint8Array;
  readonly chunking: Chunking;
  readonly maxPayload: number;
}

export const hostileInput = (): fc.Arbitrary<HostileInput> =>
  fc.constantFrom('client' as const, 'server' as const).chain((role) =>
    fc.record({
      role: fc.constant(role),
      stream: peerStream(role === 'server'),
      chunking: chunking(),
      maxPayload: fc.constantFrom(0, 64, 1024, 100 * 1024 * 1024),
    }),
  );

/** Checks everything a single read of a hostile stream must satisfy; returns the result for further checks. */
export function checkHostileRead(input: HostileInput): ReadResult {
  const { role, stream, maxPayload } = input;
  let maxHeld = 0;
  const result = readStream({ role, maxPayload }, cut(stream, input.chunking), (conn) => {
    maxHeld = Math.max(maxHeld, unparsedBytes(conn));
  });
  assert.ok(maxHeld <= MAX_UNPARSED, `the connection held ${maxHeld} unparsed bytes after draining`);

  for (const o of result.observations) {
    if (o.kind !== 'message') continue;
    if (maxPayload > 0) assert.ok(o.data.length <= maxPayload, `a ${o.data.length}-byte message passed maxPayload ${maxPayload}`);
    if (!o.binary) assert.ok(isStrictUtf8(o.data), 'a text message with invalid UTF-8 was delivered');
  }

  const types = result.events.map((e) => e.type);
  if (result.ending.kind === 'error') {
    const { closeCode } = result.ending;
    assert.ok(isAllowedOnWire(closeCode), `rejected with close code ${closeCode}, which may not go on the wire`);
    assert.equal(firstCloseCode(result.written), closeCode, 'the close frame written must carry the error close code');
    // §7.1.7: after failing, nothing more is delivered; the transport is to be closed.
    assert.deepEqual(types.slice(types.indexOf('error')), ['error', 'close-transport']);
  } else if (result.ending.kind === 'close') {
    const peer = result.observations.at(-1);
    assert.equal(peer?.kind, 'close');
    if (peer?.kind === 'close') {
      assert.ok(peer.code === 1005 || isAllowedOnWire(peer.code), `accepted close code ${peer.code}`);
      // §5.5.1: the reply echoes the status code (an empty close gets an empty one).
      assert.equal(firstCloseCode(result.written), peer.code);
    }
  } else {
    assert.equal(firstCloseCode(result.written), undefined, 'no close frame without a close or an error');
  }
  return result;
}

/** After the transport ends, exactly one `closed` event comes last (§7.1.4), then DONE forever. */
function checkTransportEnd(input: HostileInput, ending: ReadResult['ending']): void {
  const conn = new Connection({ role: input.role, maxPayload: input.maxPayload });
  conn.receiveData(input.stream.slice());
  drain(conn);
  conn.receiveData(null);
  const events = drain(conn);
  const closed = events.filter((e) => e.type === 'closed');
  assert.equal(closed.length, 1, 'one closed event after the transport ends');
  assert.equal(events.at(-1)?.type, 'closed', 'closed is the last event');
  assert.equal(conn.nextEvent(), DONE);
  assert.equal(conn.state, 'CLOSED');
  const event = closed[0]!;
  if (event.type !== 'closed') return;
  assert.equal(event.wasClean, ending.kind === 'close', 'clean only when the close frames were exchanged');
  if (ending.kind !== 'close') assert.equal(event.code, 1006, '§7.1.5: no close frame received is 1006');
  assert.equal(event.error !== undefined, ending.kind === 'error');
}

export const hostileBytes = defineProperty<HostileInput>({
  name: 'hostile-bytes',
  ciRuns: 1200,
  arbitrary: hostileInput(),
  check(input) {
    const result = checkHostileRead(input);
    // Incremental: the same stream in one piece gives the same outcome.
    const whole = readStream({ role: input.role, maxPayload: input.maxPayload }, input.stream.length > 0 ? [input.stream] : []);
    const strip = (r: ReadResult) => ({
      seen: r.observations.map(({ at: _at, ...rest }) => rest),
      ending: r.ending.kind === 'error' ? { kind: 'error', closeCode: r.ending.closeCode, code: r.ending.code } : r.ending.kind,
    });
    assert.deepEqual(strip(result), strip(whole), 'the outcome depends on how the bytes were split');
    checkTransportEnd(input, result.ending);
  },
});

