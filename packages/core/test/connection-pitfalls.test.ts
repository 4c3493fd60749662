import { describe, expect, it } from 'vitest';
import { type ConnectionEvent, type Extension } from '../src/index.js';
import { Opcode } from '../src/frames.js';
import {
  KEY,
  bytes,
  client,
  clientFrame,
  concat,
  decode,
  feed,
  feedBytewise,
  frame,
  hex,
  sentCloseCode,
  server,
  text,
  twoWaySplits,
} from './helpers.js';

/**
 * Every pitfall listed in DESIGN.md ("Pitfalls others hit"), as byte literals fed in every
 * two-way split and one byte at a time, asserting the exact close code and error code.
 */

type Side = typeof server;

/** Feeds `input` to a fresh connection at every split point and bytewise; all runs must end the same way. */
function expectFailure(input: Uint8Array, closeCode: number, errorCode: string, make: Side = server): ConnectionEvent[] {
  const runs = [...twoWaySplits(input.length), Array(input.length).fill(1)];
  let first: ConnectionEvent[] | undefined;
  for (const pieces of runs) {
    const conn = make();
    const events = feed(conn, input, pieces);
    const error = events.find((e) => e.type === 'error');
    expect(error, `split ${pieces.slice(0, 3)}`).toBeDefined();
    if (error?.type !== 'error') continue;
    expect(error.error.code).toBe(errorCode);
    expect((error.error as { closeCode?: number }).closeCode).toBe(closeCode);
    expect(events.at(-1)?.type).toBe('close-transport');
    expect(sentCloseCode(conn)).toBe(closeCode);
    first ??= events;
    expect(events.map((e) => e.type)).toEqual(first.map((e) => e.type));
  }
  return first!;
}

const messages = (events: ConnectionEvent[]) =>
  events.flatMap((e) => (e.type === 'message' ? [{ text: decode(e.data), binary: e.binary }] : []));

/** A stand-in extension claiming RSV1 that passes payloads through. */
const passThrough = (): Extension => ({
  name: 'x-pass',
  rsvMask: 0x40,
  decode: (payload) => payload,
  encode: (payload) => payload,
  rsvFor: (_first, _fin, requested) => (requested ? 0x40 : 0),
});

describe('pitfall: UTF-8 is validated per message, across fragments and split code points', () => {
  it('accepts a code point split across two fragments, at every byte split', () => {
    // "€" = E2 82 AC, split after its first byte between two frames.
    const input = concat(clientFrame(Opcode.TEXT, bytes(0x61, 0xe2), { fin: false }), clientFrame(Opcode.CONTINUATION, bytes(0x82, 0xac)));
    for (const pieces of twoWaySplits(input.length)) {
      expect(messages(feed(server(), input, pieces))).toEqual([{ text: 'a€', binary: false }]);
    }
    expect(messages(feedBytewise(server(), input))).toEqual([{ text: 'a€', binary: false }]);
  });

  it('fails fast with 1007 on an invalid prefix, before the message ends', () => {
    // The first fragment (FIN=0) is already invalid: no need to wait for the rest.
    const events = expectFailure(clientFrame(Opcode.TEXT, bytes(0x61, 0xff), { fin: false }), 1007, 'WS_ERR_INVALID_UTF8');
    expect(events.filter((e) => e.type === 'message')).toEqual([]);
  });

  it('fails with 1007 when a message ends inside a code point', () => {
    expectFailure(concat(clientFrame(Opcode.TEXT, bytes(0xe2, 0x82), { fin: false }), clientFrame(Opcode.CONTINUATION, bytes())), 1007, 'WS_ERR_INVALID_UTF8');
  });

  it('rejects UTF-16 surrogates (ED A0..BF) with 1007', () => {
    expectFailure(clientFrame(Opcode.TEXT, hex('ed a0 80')), 1007, 'WS_ERR_INVALID_UTF8');
    expectFailure(clientFrame(Opcode.TEXT, hex('65 64 ed bf bf')), 1007, 'WS_ERR_INVALID_UTF8');
  });

  it('rejects overlong encodings with 1007', () => {
    expectFailure(clientFrame(Opcode.TEXT, hex('c0 80')), 1007, 'WS_ERR_INVALID_UTF8');
    expectFailure(clientFrame(Opcode.TEXT, hex('e0 80 af')), 1007, 'WS_ERR_INVALID_UTF8');
    expectFailure(clientFrame(Opcode.TEXT, hex('f0 80 80 af')), 1007, 'WS_ERR_INVALID_UTF8');
  });

  it('rejects code points above U+10FFFF with 1007', () => {
    expectFailure(clientFrame(Opcode.TEXT, hex('f4 90 80 80')), 1007, 'WS_ERR_INVALID_UTF8');
  });

  it('validates the close reason as UTF-8 too (1007)', () => {
    expectFailure(clientFrame(Opcode.CLOSE, hex('03 e8 ce ba e1 bd b9 ed a0 80')), 1007, 'WS_ERR_INVALID_UTF8');
  });

  it('does not validate binary messages', () => {
    const events = feed(server(), clientFrame(Opcode.BINARY, hex('ff fe ed a0 80')));
    expect(events.map((e) => e.type)).toEqual(['message']);
  });

  it('skips text validation with skipUTF8Validation, but never for close reasons', () => {
    expect(feed(server({ skipUTF8Validation: true }), clientFrame(Opcode.TEXT, hex('ff'))).map((e) => e.type)).toEqual(['message']);
    expectFailure(clientFrame(Opcode.CLOSE, hex('03 e8 ff')), 1007, 'WS_ERR_INVALID_UTF8', () => server({ skipUTF8Validation: true }));
  });
});

describe('pitfall: control frames', () => {
  it('a ping with a 126-byte payload fails with 1002', () => {
    expectFailure(clientFrame(Opcode.PING, new Uint8Array(126)), 1002, 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH');
  });

  it('a close frame with a 126-byte payload fails with 1002', () => {
    expectFailure(clientFrame(Opcode.CLOSE, concat(hex('03 e8'), new Uint8Array(124).fill(0x61))), 1002, 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH');
  });

  it('a 125-byte ping is fine', () => {
    const events = feed(server(), clientFrame(Opcode.PING, new Uint8Array(125).fill(7)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ping' });
  });

  it('a fragmented control frame (FIN=0) fails with 1002', () => {
    expectFailure(clientFrame(Opcode.PING, 'a', { fin: false }), 1002, 'WS_ERR_EXPECTED_FIN');
  });

  it('control frames between the fragments of a message are handled and the message is intact', () => {
    const input = concat(
      clientFrame(Opcode.TEXT, 'frag', { fin: false }),
      clientFrame(Opcode.PING, 'p1'),
      clientFrame(Opcode.CONTINUATION, 'men', { fin: false }),
      clientFrame(Opcode.PONG, 'p2'),
      clientFrame(Opcode.CONTINUATION, 'ted'),
    );
    for (const pieces of [...twoWaySplits(input.length), Array(input.length).fill(1)]) {
      const conn = server();
      const events = feed(conn, input, pieces);
      expect(events.map((e) => e.type)).toEqual(['ping', 'pong', 'message']);
      expect(messages(events)).toEqual([{ text: 'fragmented', binary: false }]);
    }
  });
});

describe('pitfall: fragmentation order', () => {
  it('a continuation without a started message fails with 1002', () => {
    expectFailure(clientFrame(Opcode.CONTINUATION, 'x'), 1002, 'WS_ERR_UNEXPECTED_CONTINUATION');
  });

  it('a new data frame while a fragmented message is open fails with 1002', () => {
    const input = concat(clientFrame(Opcode.TEXT, 'a', { fin: false }), clientFrame(Opcode.BINARY, 'b'));
    expectFailure(input, 1002, 'WS_ERR_EXPECTED_CONTINUATION');
  });

  it('the error names the opcode out of place, so adapters need not parse the message', () => {
    const opcodeOf = (input: Uint8Array): unknown => {
      const error = feed(server(), input, [input.length]).find((e) => e.type === 'error');
      return error?.type === 'error' ? (error.error as { opcode?: number }).opcode : 'no error';
    };
    expect(opcodeOf(concat(clientFrame(Opcode.TEXT, 'a', { fin: false }), clientFrame(Opcode.BINARY, 'b')))).toBe(Opcode.BINARY);
    expect(opcodeOf(clientFrame(Opcode.CONTINUATION, 'x'))).toBe(Opcode.CONTINUATION);
    expect(opcodeOf(Uint8Array.of(0x83, 0x80, 0, 0, 0, 0))).toBe(3); // reserved non-control opcode, masked, empty
  });

  it('a continuation after a complete message fails with 1002', () => {
    const input = concat(clientFrame(Opcode.TEXT, 'done'), clientFrame(Opcode.CONTINUATION, 'x'));
    const events = expectFailure(input, 1002, 'WS_ERR_UNEXPECTED_CONTINUATION');
    expect(events[0]?.type).toBe('message');
  });
});

describe('pitfall: RSV bits', () => {
  for (const [bit, code] of [
    [0x40, 'WS_ERR_UNEXPECTED_RSV_1'],
    [0x20, 'WS_ERR_UNEXPECTED_RSV_2_3'],
    [0x10, 'WS_ERR_UNEXPECTED_RSV_2_3'],
  ] as const) {
    it(`RSV 0x${bit.toString(16)} without a negotiated extension fails with 1002`, () => {
      expectFailure(clientFrame(Opcode.TEXT, 'x', { rsv: bit }), 1002, code);
    });
  }

  it('RSV1 claimed by an extension is accepted on a first frame', () => {
    const events = feed(server({ extensions: [passThrough()] }), clientFrame(Opcode.TEXT, 'ok', { rsv: 0x40 }));
    expect(messages(events)).toEqual([{ text: 'ok', binary: false }]);
  });

  it('RSV1 on a continuation frame fails with 1002 even with the extension', () => {
    const input = concat(clientFrame(Opcode.TEXT, 'a', { rsv: 0x40, fin: false }), clientFrame(Opcode.CONTINUATION, 'b', { rsv: 0x40 }));
    expectFailure(input, 1002, 'WS_ERR_UNEXPECTED_RSV_1', () => server({ extensions: [passThrough()] }));
  });

  it('RSV1 on a control frame fails with 1002 even with the extension', () => {
    expectFailure(clientFrame(Opcode.PING, 'a', { rsv: 0x40 }), 1002, 'WS_ERR_UNEXPECTED_RSV_1', () => server({ extensions: [passThrough()] }));
  });

  it('RSV2 is still rejected when only RSV1 is claimed', () => {
    expectFailure(clientFrame(Opcode.TEXT, 'a', { rsv: 0x20 }), 1002, 'WS_ERR_UNEXPECTED_RSV_2_3', () => server({ extensions: [passThrough()] }));
  });
});

describe('pitfall: reserved opcodes', () => {
  for (const opcode of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
    it(`opcode 0x${opcode.toString(16)} fails with 1002`, () => {
      expectFailure(clientFrame(opcode, ''), 1002, 'WS_ERR_INVALID_OPCODE');
    });
  }
});

describe('pitfall: close codes and payloads', () => {
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]) {
    it(`a received close code ${code} fails with 1002`, () => {
      expectFailure(clientFrame(Opcode.CLOSE, bytes(code >> 8, code & 255)), 1002, 'WS_ERR_INVALID_CLOSE_CODE');
    });
  }

  for (const code of [1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999]) {
    it(`a received close code ${code} is accepted and echoed`, () => {
      const conn = server();
      const events = feed(conn, clientFrame(Opcode.CLOSE, concat(bytes(code >> 8, code & 255), text('bye'))));
      expect(events[0]).toEqual({ type: 'close', code, reason: 'bye' });
      expect(sentCloseCode(conn)).toBe(code);
    });
  }

  it('a 1-byte close payload fails with 1002', () => {
    expectFailure(clientFrame(Opcode.CLOSE, bytes(0x03)), 1002, 'WS_ERR_INVALID_CLOSE_PAYLOAD');
  });

  it('an empty close payload is reported as 1005 and answered with an empty close frame', () => {
    const conn = server();
    const events = feed(conn, clientFrame(Opcode.CLOSE, ''));
    expect(events[0]).toEqual({ type: 'close', code: 1005, reason: '' });
    expect(sentCloseCode(conn)).toBe(1005); // the helper's way of saying "no status code"
  });
});

describe('pitfall: payload lengths', () => {
  it('a 64-bit length with the most significant bit set is rejected before anything is buffered', () => {
    const header = hex('82 ff 80 00 00 00 00 00 00 00');
    const input = concat(header, KEY);
    const events = expectFailure(input, 1002, 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH');
    expect(events.some((e) => e.type === 'message')).toBe(false);
  });

  it('a 64-bit length above Number.MAX_SAFE_INTEGER is refused with 1009 (maxPayload off)', () => {
    const input = concat(hex('82 ff 00 20 00 00 00 00 00 00'), KEY);
    expectFailure(input, 1009, 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH', () => server({ maxPayload: 0 }));
  });

  it('a frame announcing more than maxPayload fails with 1009 from its header alone', () => {
    const conn = server({ maxPayload: 1024 });
    // Only the header of a 1 MiB frame: the payload never arrives, the verdict must not wait for it.
    const events = feed(conn, concat(hex('82 ff 00 00 00 00 00 10 00 00'), KEY));
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 } });
    expect(sentCloseCode(conn)).toBe(1009);
  });

  it('fragments that add up to more than maxPayload fail with 1009', () => {
    const input = concat(
      clientFrame(Opcode.BINARY, new Uint8Array(600), { fin: false }),
      clientFrame(Opcode.CONTINUATION, new Uint8Array(600)),
    );
    expectFailure(input, 1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', () => server({ maxPayload: 1000 }));
  });

  it('a message of exactly maxPayload bytes is accepted', () => {
    const events = feed(server({ maxPayload: 1000 }), clientFrame(Opcode.BINARY, new Uint8Array(1000)));
    expect(events.map((e) => e.type)).toEqual(['message']);
  });
});

describe('pitfall: masking direction', () => {
  it('a server fails an unmasked client frame with 1002', () => {
    expectFailure(frame(Opcode.TEXT, 'Hello'), 1002, 'WS_ERR_EXPECTED_MASK');
  });

  it('a client fails a masked server frame with 1002', () => {
    expectFailure(hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'), 1002, 'WS_ERR_UNEXPECTED_MASK', client);
  });
});

describe('pitfall: masking keys are strong and fresh per frame', () => {
  const keysOf = (output: Uint8Array[]): string[] => {
    const all = concat(...output);
    const keys: string[] = [];
    for (let i = 0; i < all.length; ) {
      const len = all[i + 1]! & 0x7f; // short frames only in this test
      keys.push(Buffer.from(all.subarray(i + 2, i + 6)).toString('hex'));
      i += 6 + len;
    }
    return keys;
  };

  it('uses a fresh key from the random source for every frame', () => {
    let calls = 0;
    const conn = client({
      randomFill: (target) => {
        calls++;
        for (let i = 0; i < target.length; i++) target[i] = (i * 7 + calls * 13) & 255;
        return target;
      },
    });
    for (let i = 0; i < 5; i++) conn.send('same');
    conn.ping('p');
    const keys = keysOf(conn.takeOutput());
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    expect(calls).toBeGreaterThan(0);
  });

  it('defaults to crypto.getRandomValues: identical messages get different keys', () => {
    const conn = client();
    for (let i = 0; i < 20; i++) conn.send('same');
    const keys = keysOf(conn.takeOutput());
    expect(new Set(keys).size).toBe(20);
  });
});
