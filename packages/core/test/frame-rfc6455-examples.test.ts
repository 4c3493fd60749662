import { describe, expect, it } from 'vitest';
import { Opcode, encodeFrame } from '../src/frames.js';
import { KEY, client, concat, decode, feed, hex, server, twoWaySplits } from './helpers.js';

/** RFC 6455 §5.7, the spec's own example frames. */
const HELLO_UNMASKED = hex('81 05 48 65 6c 6c 6f');
const HELLO_MASKED = hex('81 85 37 fa 21 3d 7f 9f 4d 51 58');
const HEL_LO_FRAGMENTED = hex('01 03 48 65 6c 80 02 6c 6f');
const PING_UNMASKED = hex('89 05 48 65 6c 6c 6f');
const PONG_MASKED = hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58');

describe('RFC 6455 §5.7 examples, parsed at every split point', () => {
  it('a single-frame unmasked text message (received by a client)', () => {
    for (const split of twoWaySplits(HELLO_UNMASKED.length)) {
      const events = feed(client(), HELLO_UNMASKED, split);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'message', binary: false });
      expect(decode((events[0] as { data: Uint8Array }).data)).toBe('Hello');
    }
  });

  it('a single-frame masked text message (received by a server)', () => {
    for (const split of twoWaySplits(HELLO_MASKED.length)) {
      const events = feed(server(), HELLO_MASKED, split);
      expect(events.map((e) => e.type)).toEqual(['message']);
      expect(decode((events[0] as { data: Uint8Array }).data)).toBe('Hello');
    }
  });

  it('a fragmented unmasked text message', () => {
    for (const split of twoWaySplits(HEL_LO_FRAGMENTED.length)) {
      const events = feed(client(), HEL_LO_FRAGMENTED, split);
      expect(events.map((e) => e.type)).toEqual(['message']);
      expect(decode((events[0] as { data: Uint8Array }).data)).toBe('Hello');
    }
  });

  it('an unmasked ping is reported and answered with a pong carrying the same payload', () => {
    const conn = client();
    const events = feed(conn, PING_UNMASKED);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('ping');
    const out = concat(...conn.takeOutput());
    // A client's pong is masked: 8a 85 key(4) masked("Hello").
    expect(out[0]).toBe(0x8a);
    expect(out[1]).toBe(0x85);
    const key = out.subarray(2, 6);
    const payload = out.subarray(6).map((b, i) => b ^ key[i % 4]!);
    expect(decode(payload)).toBe('Hello');
  });

  it('a masked pong is reported to a server', () => {
    const events = feed(server(), PONG_MASKED);
    expect(events.map((e) => e.type)).toEqual(['pong']);
    expect(decode((events[0] as { data: Uint8Array }).data)).toBe('Hello');
  });

  it('256 bytes and 64 KiB binary messages in a single unmasked frame (16- and 64-bit lengths)', () => {
    for (const size of [256, 65536]) {
      const payload = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
      const header = size === 256 ? hex('82 7e 01 00') : hex('82 7f 00 00 00 00 00 01 00 00');
      const events = feed(client(), concat(header, payload), [1, 3, 7, 1000]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'message', binary: true });
      expect((events[0] as { data: Uint8Array }).data).toEqual(payload);
    }
  });
});

describe('RFC 6455 §5.7 examples, serialized', () => {
  it('produces the unmasked and masked "Hello" frames byte for byte', () => {
    expect(concat(...encodeFrame(Opcode.TEXT, hex('48 65 6c 6c 6f'), { fin: true, rsv: 0, maskKey: undefined }))).toEqual(HELLO_UNMASKED);
    expect(concat(...encodeFrame(Opcode.TEXT, hex('48 65 6c 6c 6f'), { fin: true, rsv: 0, maskKey: KEY }))).toEqual(HELLO_MASKED);
  });

  it('produces the fragmented, ping and pong examples', () => {
    const hel = encodeFrame(Opcode.TEXT, hex('48 65 6c'), { fin: false, rsv: 0, maskKey: undefined });
    const lo = encodeFrame(Opcode.CONTINUATION, hex('6c 6f'), { fin: true, rsv: 0, maskKey: undefined });
    expect(concat(...hel, ...lo)).toEqual(HEL_LO_FRAGMENTED);
    expect(concat(...encodeFrame(Opcode.PING, hex('48 65 6c 6c 6f'), { fin: true, rsv: 0, maskKey: undefined }))).toEqual(PING_UNMASKED);
    expect(concat(...encodeFrame(Opcode.PONG, hex('48 65 6c 6c 6f'), { fin: true, rsv: 0, maskKey: KEY }))).toEqual(PONG_MASKED);
  });

  it('uses the 16-bit and 64-bit length forms at their boundaries and never modifies the payload', () => {
    for (const [size, lengthBytes] of [[125, 0], [126, 2], [65535, 2], [65536, 8]] as const) {
      const payload = new Uint8Array(size).fill(7);
      const out = concat(...encodeFrame(Opcode.BINARY, payload, { fin: true, rsv: 0, maskKey: KEY }));
      expect(out.length).toBe(2 + lengthBytes + 4 + size);
      expect(payload.every((b) => b === 7)).toBe(true);
      const events = feed(server(), out);
      expect((events[0] as { data: Uint8Array }).data).toEqual(payload);
    }
  });
});
