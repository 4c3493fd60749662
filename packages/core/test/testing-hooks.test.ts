/**
 * `@sansock/core/testing`: the probe fuzzers use instead of private fields. The frame layer holds
 * a partial header, then a control frame's partial payload, and nothing once frames complete;
 * message bytes being assembled are `heldBytes`, not frame-layer bytes.
 */
import { describe, expect, it } from 'vitest';
import { Opcode } from '../src/frames.js';
import { unparsedFrameBytes } from '../src/testing.js';
import { clientFrame, drain, server } from './helpers.js';

describe('unparsedFrameBytes', () => {
  it('counts the bytes of an unfinished header or control frame, not message data', () => {
    const conn = server();
    const ping = clientFrame(Opcode.PING, 'hello');
    conn.receiveData(ping.subarray(0, 1));
    drain(conn);
    expect(unparsedFrameBytes(conn)).toBe(1);
    conn.receiveData(ping.subarray(1, ping.length - 2));
    drain(conn);
    // Some of it (the parsed header may already be consumed), never more than was sent.
    expect(unparsedFrameBytes(conn)).toBeGreaterThan(0);
    expect(unparsedFrameBytes(conn)).toBeLessThanOrEqual(ping.length - 2);
    conn.receiveData(ping.subarray(ping.length - 2));
    drain(conn);
    expect(unparsedFrameBytes(conn)).toBe(0);

    const part = clientFrame(Opcode.TEXT, 'a fragment', { fin: false });
    conn.receiveData(part);
    drain(conn);
    expect(unparsedFrameBytes(conn)).toBe(0);
    expect(conn.heldBytes).toBeGreaterThanOrEqual('a fragment'.length);
  });
});
