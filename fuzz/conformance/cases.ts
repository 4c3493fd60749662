/**
 * Conformance cases in the spirit of the Autobahn test suite's categories, written from
 * RFC 6455 (our own cases and numbering). Each says what it sends and what the RFC requires.
 */
import { concat, utf8 } from '../src/bytes.js';
import { OP } from '../src/wire.js';
import type { CaseContext, ConformanceCase, Expectation, Reply, Verdict } from './engine.js';
import { DEFLATE_CASES } from './deflate-cases.js';
import { ECHO_MAX_PAYLOAD } from './targets.js';

export const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const filled = (n: number, byte = 0x2a) => new Uint8Array(n).fill(byte);
export const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
export const asciiText = (n: number) => Uint8Array.from({ length: n }, (_, i) => 0x61 + (i % 26));

export interface F {
  readonly op: number;
  readonly data?: Uint8Array;
  readonly fin?: boolean;
  readonly rsv?: number;
  /** A client frame sent without a mask (clients mask by default). */
  readonly unmasked?: boolean;
  /** A server frame sent with a mask (servers do not mask by default). */
  readonly masked?: boolean;
  readonly lengthBits?: 16 | 64;
}

/** Sends frames one after another (each its own TCP write), or all in pieces of `chunk` bytes. */
export const send =
  (frames: readonly F[], chunk?: number) =>
  async ({ client }: CaseContext): Promise<void> => {
    for (const f of frames) {
      await client.send({ fin: f.fin ?? true, rsv: f.rsv ?? 0, opcode: f.op, payload: f.data ?? new Uint8Array(0), lengthBits: f.lengthBits, mask: f.unmasked ? null : f.masked ? Uint8Array.of(1, 2, 3, 4) : undefined }, chunk);
    }
  };

export const text = (data: Uint8Array): Reply => ({ kind: 'text', data });
export const binary = (data: Uint8Array): Reply => ({ kind: 'binary', data });
export const pong = (data: Uint8Array = new Uint8Array(0)): Reply => ({ kind: 'pong', data });
export const echo = (...replies: Reply[]): Expectation => ({ kind: 'echo', replies });
export const fail = (code: number, ...replies: Reply[]): Expectation => ({ kind: 'fail', code, replies });
export const closeCode = (code: number, reason: Uint8Array = new Uint8Array(0)) => concat([Uint8Array.of(code >> 8, code & 0xff), reason]);

const cases: ConformanceCase[] = [];
const add = (c: ConformanceCase) => cases.push(c);

// ---- 1 Framing: text and binary messages around the 7/16/64-bit length boundaries (§5.2) ----
[0, 125, 126, 127, 128, 65535, 65536].forEach((n, i) => {
  add({ id: `1.1.${i + 1}`, category: 1, title: `text message, ${n} bytes`, rfc: '§5.2, §5.6', run: send([{ op: OP.TEXT, data: asciiText(n) }]), expect: echo(text(asciiText(n))) });
  add({ id: `1.2.${i + 1}`, category: 1, title: `binary message, ${n} bytes`, rfc: '§5.2, §5.6', run: send([{ op: OP.BINARY, data: pattern(n) }]), expect: echo(binary(pattern(n))) });
});
add({ id: '1.1.8', category: 1, title: 'text message, 65536 bytes, written in 997-byte pieces', rfc: '§5.2', run: send([{ op: OP.TEXT, data: asciiText(65536) }], 997), expect: echo(text(asciiText(65536))) });
add({ id: '1.2.8', category: 1, title: 'binary message, 200 bytes, written 1 byte at a time', rfc: '§5.2', run: send([{ op: OP.BINARY, data: pattern(200) }], 1), expect: echo(binary(pattern(200))) });
add({ id: '1.3.1', category: 1, title: 'text message with a non-minimal 64-bit length (5 bytes)', rfc: '§5.2 (receivers read the length as encoded)', run: send([{ op: OP.TEXT, data: asciiText(5), lengthBits: 64 }]), expect: echo(text(asciiText(5))) });

// ---- 2 Ping/pong (§5.5.2, §5.5.3) ----
add({ id: '2.1', category: 2, title: 'ping, empty payload', rfc: '§5.5.2', run: send([{ op: OP.PING }]), expect: echo(pong()) });
add({ id: '2.2', category: 2, title: 'ping, 125-byte text payload', rfc: '§5.5.2', run: send([{ op: OP.PING, data: asciiText(125) }]), expect: echo(pong(asciiText(125))) });
add({ id: '2.3', category: 2, title: 'ping, binary payload', rfc: '§5.5.2', run: send([{ op: OP.PING, data: fromHex('00ff fe fd fc fb fa') }]), expect: echo(pong(fromHex('00fffefdfcfbfa'))) });
add({ id: '2.4', category: 2, title: 'ping, 125-byte binary payload', rfc: '§5.5', run: send([{ op: OP.PING, data: pattern(125) }]), expect: echo(pong(pattern(125))) });
add({ id: '2.5', category: 2, title: 'ping, 126-byte payload (too long for a control frame)', rfc: '§5.5', run: send([{ op: OP.PING, data: pattern(126) }]), expect: fail(1002) });
add({ id: '2.6', category: 2, title: 'ping, 125 bytes, written 1 byte at a time', rfc: '§5.5.2', run: send([{ op: OP.PING, data: pattern(125) }], 1), expect: echo(pong(pattern(125))) });
add({ id: '2.7', category: 2, title: 'unsolicited pong, empty: no reply', rfc: '§5.5.3', run: send([{ op: OP.PONG }]), expect: echo() });
add({ id: '2.8', category: 2, title: 'unsolicited pong with payload: no reply', rfc: '§5.5.3', run: send([{ op: OP.PONG, data: utf8('unsolicited') }]), expect: echo() });
add({ id: '2.9', category: 2, title: 'unsolicited pong, then ping: one pong for the ping', rfc: '§5.5.3', run: send([{ op: OP.PONG, data: utf8('x') }, { op: OP.PING, data: utf8('y') }]), expect: echo(pong(utf8('y'))) });
add({
  id: '2.10', category: 2, title: '10 pings in a row: 10 pongs in order', rfc: '§5.5.2',
  run: send(Array.from({ length: 10 }, (_, i) => ({ op: OP.PING, data: utf8(`ping ${i}`) }))),
  expect: echo(...Array.from({ length: 10 }, (_, i) => pong(utf8(`ping ${i}`)))),
});
add({
  id: '2.11', category: 2, title: '10 pings, each written 1 byte at a time', rfc: '§5.5.2',
  run: send(Array.from({ length: 10 }, (_, i) => ({ op: OP.PING, data: utf8(`p${i}`) })), 1),
  expect: echo(...Array.from({ length: 10 }, (_, i) => pong(utf8(`p${i}`)))),
});

// ---- 3 Reserved bits: set without a negotiated extension, the connection fails (§5.2) ----
const rsvCases: Array<[number, number, string]> = [
  [OP.TEXT, 0x40, 'text with RSV1'],
  [OP.TEXT, 0x20, 'text with RSV2'],
  [OP.TEXT, 0x10, 'text with RSV3'],
  [OP.BINARY, 0x60, 'binary with RSV1+RSV2'],
  [OP.PING, 0x50, 'ping with RSV1+RSV3'],
  [OP.PONG, 0x30, 'pong with RSV2+RSV3'],
  [OP.CLOSE, 0x70, 'close with all RSV bits'],
];
rsvCases.forEach(([op, rsv, title], i) => {
  add({ id: `3.${i + 1}`, category: 3, title, rfc: '§5.2 RSV1-3', run: send([{ op, rsv, data: op === OP.CLOSE ? closeCode(1000) : utf8('Hello') }]), expect: fail(1002) });
});
add({
  id: '3.8', category: 3, title: 'valid text, then text with RSV2, then a ping: the first is echoed, nothing after the bad one', rfc: '§5.2, §7.1.7',
  run: send([{ op: OP.TEXT, data: utf8('ok') }, { op: OP.TEXT, rsv: 0x20, data: utf8('bad') }, { op: OP.PING }]),
  expect: fail(1002, text(utf8('ok'))),
});

// ---- 4 Opcodes: reserved opcodes fail the connection (§5.2) ----
[3, 4, 5, 6, 7].forEach((op, i) => add({ id: `4.1.${i + 1}`, category: 4, title: `reserved non-control opcode ${op}`, rfc: '§5.2 Opcode', run: send([{ op, data: utf8('x') }]), expect: fail(1002) }));
[0xb, 0xc, 0xd, 0xe, 0xf].forEach((op, i) => add({ id: `4.2.${i + 1}`, category: 4, title: `reserved control opcode ${op}`, rfc: '§5.2 Opcode', run: send([{ op }]), expect: fail(1002) }));
add({ id: '4.3.1', category: 4, title: 'valid text, then opcode 5: the text is echoed first', rfc: '§5.2', run: send([{ op: OP.TEXT, data: utf8('first') }, { op: 5 }]), expect: fail(1002, text(utf8('first'))) });

// ---- 5 Fragmentation (§5.4) ----
export const frag = (op: number, parts: Uint8Array[]): F[] => parts.map((data, i) => ({ op: i === 0 ? op : OP.CONT, data, fin: i === parts.length - 1 }));
add({ id: '5.1', category: 5, title: 'ping in 2 fragments', rfc: '§5.4, §5.5: control frames must not be fragmented', run: send([{ op: OP.PING, data: utf8('a'), fin: false }, { op: OP.CONT, data: utf8('b') }]), expect: fail(1002) });
add({ id: '5.2', category: 5, title: 'pong in 2 fragments', rfc: '§5.4, §5.5', run: send([{ op: OP.PONG, data: utf8('a'), fin: false }, { op: OP.CONT, data: utf8('b') }]), expect: fail(1002) });
add({ id: '5.3', category: 5, title: 'text in 2 fragments', rfc: '§5.4', run: send(frag(OP.TEXT, [utf8('frag'), utf8('ment')])), expect: echo(text(utf8('fragment'))) });
add({ id: '5.4', category: 5, title: 'text in 2 fragments, written 1 byte at a time', rfc: '§5.4', run: send(frag(OP.TEXT, [utf8('frag'), utf8('ment')]), 1), expect: echo(text(utf8('fragment'))) });
add({
  id: '5.5', category: 5, title: 'text in 2 fragments with a ping between', rfc: '§5.4: control frames may be injected in the middle of a fragmented message',
  run: send([{ op: OP.TEXT, data: utf8('frag'), fin: false }, { op: OP.PING, data: utf8('mid') }, { op: OP.CONT, data: utf8('ment') }]),
  expect: echo(pong(utf8('mid')), text(utf8('fragment'))),
});
add({
  id: '5.6', category: 5, title: 'text in 2 fragments with a pong between', rfc: '§5.4',
  run: send([{ op: OP.TEXT, data: utf8('frag'), fin: false }, { op: OP.PONG, data: utf8('mid') }, { op: OP.CONT, data: utf8('ment') }]),
  expect: echo(text(utf8('fragment'))),
});
add({
  id: '5.7', category: 5, title: 'binary in 3 fragments with a ping between each, 1 byte at a time', rfc: '§5.4',
  run: send([{ op: OP.BINARY, data: pattern(3), fin: false }, { op: OP.PING, data: utf8('1') }, { op: OP.CONT, data: pattern(2), fin: false }, { op: OP.PING, data: utf8('2') }, { op: OP.CONT, data: pattern(1) }], 1),
  expect: echo(pong(utf8('1')), pong(utf8('2')), binary(concat([pattern(3), pattern(2), pattern(1)]))),
});
add({ id: '5.8', category: 5, title: 'continuation (FIN=0) with no message to continue', rfc: '§5.4', run: send([{ op: OP.CONT, data: utf8('x'), fin: false }]), expect: fail(1002) });
add({ id: '5.9', category: 5, title: 'continuation (FIN=1) with no message to continue', rfc: '§5.4', run: send([{ op: OP.CONT, data: utf8('x') }]), expect: fail(1002) });
add({ id: '5.10', category: 5, title: 'text (FIN=0), then a new text instead of a continuation', rfc: '§5.4', run: send([{ op: OP.TEXT, data: utf8('a'), fin: false }, { op: OP.TEXT, data: utf8('b') }]), expect: fail(1002) });
add({ id: '5.11', category: 5, title: 'binary (FIN=0), then a new binary instead of a continuation', rfc: '§5.4', run: send([{ op: OP.BINARY, data: utf8('a'), fin: false }, { op: OP.BINARY, data: utf8('b') }]), expect: fail(1002) });
add({ id: '5.12', category: 5, title: 'text from 10 empty fragments', rfc: '§5.4', run: send(frag(OP.TEXT, Array.from({ length: 10 }, () => new Uint8Array(0)))), expect: echo(text(new Uint8Array(0))) });
add({ id: '5.13', category: 5, title: 'text with empty first and last fragments', rfc: '§5.4', run: send(frag(OP.TEXT, [new Uint8Array(0), utf8('middle'), new Uint8Array(0)])), expect: echo(text(utf8('middle'))) });
add({
  id: '5.14', category: 5, title: 'complete message, then a continuation after it', rfc: '§5.4',
  run: send([{ op: OP.TEXT, data: utf8('done') }, { op: OP.CONT, data: utf8('late') }]), expect: fail(1002, text(utf8('done'))),
});

// ---- 6 UTF-8 handling (§5.6, §8.1) ----
const validUtf8: Array<[string, Uint8Array]> = [
  ['Greek "κόσμε"', utf8('κόσμε')],
  ['U+0000', fromHex('00')],
  ['U+007F, U+0080, U+07FF, U+0800, U+FFFF boundaries', fromHex('7f c280 dfbf e0a080 efbfbf')],
  ['U+10000 and U+10FFFF (4-byte)', fromHex('f0908080 f48fbfbf')],
  ['noncharacters U+FFFE, U+FDD0 (valid UTF-8)', fromHex('efbfbe efb790')],
  ['BOM U+FEFF', fromHex('efbbbf')],
];
validUtf8.forEach(([title, data], i) => add({ id: `6.1.${i + 1}`, category: 6, title: `valid: ${title}`, rfc: '§5.6', run: send([{ op: OP.TEXT, data }]), expect: echo(text(data)) }));
const everyByteFragment = utf8('Hello-µ@ßöäüàá-UTF-8!! κόσμε €𝄞');
add({
  id: '6.2.1', category: 6, title: 'valid text split into 1-byte fragments (code points split across frames)', rfc: '§5.6: validity is per message',
  run: send(frag(OP.TEXT, Array.from(everyByteFragment, (b) => Uint8Array.of(b)))), expect: echo(text(everyByteFragment)),
});
add({
  id: '6.2.2', category: 6, title: 'valid text in 2 fragments split inside a 4-byte code point', rfc: '§5.6',
  run: send(frag(OP.TEXT, [fromHex('61f09d'), fromHex('849e62')])), expect: echo(text(fromHex('61f09d849e62'))),
});
const invalidUtf8: Array<[string, string]> = [
  ['lone continuation byte 0x80', '61 80 62'],
  ['byte 0xFF', 'ff'],
  ['byte 0xFE', 'fe'],
  ['overlong "/" (C0 AF)', 'c0af'],
  ['overlong 3-byte (E0 80 AF)', 'e080af'],
  ['overlong 4-byte (F0 80 80 AF)', 'f08080af'],
  ['UTF-16 surrogate U+D800 (ED A0 80)', 'eda080'],
  ['UTF-16 surrogate U+DFFF (ED BF BF)', 'edbfbf'],
  ['code point above U+10FFFF (F4 90 80 80)', 'f4908080'],
  ['5-byte sequence (F8 88 80 80 80)', 'f888808080'],
  ['truncated 3-byte sequence at the end (E2 82)', '61e282'],
  ['truncated 4-byte sequence at the end (F0 9D 84)', 'f09d84'],
];
invalidUtf8.forEach(([title, hex], i) => add({ id: `6.3.${i + 1}`, category: 6, title: `invalid: ${title}`, rfc: '§8.1: fail with 1007', run: send([{ op: OP.TEXT, data: fromHex(hex) }]), expect: fail(1007) }));
// Fail fast: the first fragment is already invalid, so the server should not wait for the rest (Autobahn 6.4).
const failFast: Array<[string, string, string]> = [
  ['invalid byte in the first fragment', '48656c6c6f ff', '776f726c64'],
  ['surrogate in the first fragment', 'ce bae1bdb9cf83ceb5 eda080', '65646974'],
  ['invalid continuation inside the first fragment', 'e282 41', '42'],
];
failFast.forEach(([title, first, last], i) =>
  add({
    id: `6.4.${i + 1}`, category: 6, title: `fail fast: ${title}`, rfc: '§8.1 (fail as soon as the bytes cannot be UTF-8)',
    run: send([{ op: OP.TEXT, data: fromHex(first), fin: false }]),
    rest: send([{ op: OP.CONT, data: fromHex(last) }]),
    expect: fail(1007),
  }),
);
add({
  id: '6.5.1', category: 6, title: 'invalid UTF-8 split across fragments (valid alone, invalid joined: ED | A0 80)', rfc: '§5.6, §8.1',
  run: send(frag(OP.TEXT, [fromHex('61ed'), fromHex('a080')])), expect: fail(1007),
});

// ---- 7 Close handling (§5.5.1, §7) ----
export const closeReply = (codes: ReadonlyArray<number | 'empty'>, ...replies: Reply[]): Expectation => ({ kind: 'close-reply', codes, replies });
add({ id: '7.1.1', category: 7, title: 'close 1000: the server echoes it and closes TCP', rfc: '§5.5.1, §7.1.1', run: send([{ op: OP.CLOSE, data: closeCode(1000) }]), expect: closeReply([1000]) });
add({ id: '7.1.2', category: 7, title: 'close without payload: reply empty (or 1000)', rfc: '§5.5.1, §7.1.5', run: send([{ op: OP.CLOSE }]), expect: closeReply(['empty', 1000]) });
add({ id: '7.1.3', category: 7, title: 'message, then close: the message is echoed first', rfc: '§7.1.2', run: send([{ op: OP.TEXT, data: utf8('bye') }, { op: OP.CLOSE, data: closeCode(1000) }]), expect: closeReply([1000], text(utf8('bye'))) });
add({ id: '7.1.4', category: 7, title: 'close, then a text message: the text is ignored', rfc: '§5.5.1: no data after the close frame', run: send([{ op: OP.CLOSE, data: closeCode(1000) }, { op: OP.TEXT, data: utf8('after') }]), expect: closeReply([1000]) });
add({ id: '7.1.5', category: 7, title: 'close, then a ping: no pong', rfc: '§5.5.1', run: send([{ op: OP.CLOSE, data: closeCode(1000) }, { op: OP.PING, data: utf8('after') }]), expect: closeReply([1000]) });
add({
  id: '7.1.6', category: 7, title: 'fragmented text left open, then close: the partial message is not echoed', rfc: '§5.4, §5.5.1',
  run: send([{ op: OP.TEXT, data: utf8('partial'), fin: false }, { op: OP.CLOSE, data: closeCode(1000) }]), expect: closeReply([1000]),
});
add({ id: '7.3.1', category: 7, title: 'close with a 1-byte payload', rfc: '§5.5.1', run: send([{ op: OP.CLOSE, data: Uint8Array.of(0x03) }]), expect: fail(1002) });
add({ id: '7.3.2', category: 7, title: 'close 1000 with a reason', rfc: '§5.5.1', run: send([{ op: OP.CLOSE, data: closeCode(1000, utf8('Normal closure, κόσμε')) }]), expect: closeReply([1000]) });
add({ id: '7.3.3', category: 7, title: 'close 1000 with a 123-byte reason (the largest)', rfc: '§5.5.1', run: send([{ op: OP.CLOSE, data: closeCode(1000, asciiText(123)) }]), expect: closeReply([1000]) });
add({ id: '7.3.4', category: 7, title: 'close 1000 with a 124-byte reason (frame over 125 bytes)', rfc: '§5.5', run: send([{ op: OP.CLOSE, data: closeCode(1000, asciiText(124)) }]), expect: fail(1002) });
add({ id: '7.3.5', category: 7, title: 'close reason with invalid UTF-8', rfc: '§5.5.1, §8.1', run: send([{ op: OP.CLOSE, data: closeCode(1000, fromHex('ceba e1bd b9cf 83ce b5ed a080 6564')) }]), expect: fail(1007) });
[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999].forEach((code, i) =>
  add({ id: `7.7.${i + 1}`, category: 7, title: `close with valid code ${code}: echoed`, rfc: '§7.4, IANA registry', run: send([{ op: OP.CLOSE, data: closeCode(code) }]), expect: closeReply([code]) }),
);
[0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535].forEach((code, i) =>
  add({ id: `7.9.${i + 1}`, category: 7, title: `close with invalid code ${code}`, rfc: '§7.4.1, §7.4.2', run: send([{ op: OP.CLOSE, data: closeCode(code) }]), expect: fail(1002) }),
);

// ---- 9 Limits and large messages ----
const MiB = 1024 * 1024;
[[64 * 1024, '64 KiB'], [256 * 1024, '256 KiB'], [MiB, '1 MiB'], [4 * MiB, '4 MiB']].forEach(([n, label], i) => {
  const size = n as number;
  add({ id: `9.1.${i + 1}`, category: 9, title: `text message, ${label}`, rfc: '§5.2', run: send([{ op: OP.TEXT, data: asciiText(size) }]), expect: echo(text(asciiText(size))), timeoutMs: 15000 });
  add({ id: `9.2.${i + 1}`, category: 9, title: `binary message, ${label}`, rfc: '§5.2', run: send([{ op: OP.BINARY, data: pattern(size) }]), expect: echo(binary(pattern(size))), timeoutMs: 15000 });
});
const oneMiBText = asciiText(MiB);
add({
  id: '9.3.1', category: 9, title: '1 MiB text in 16384 fragments of 64 bytes', rfc: '§5.4',
  run: async ({ client }) => client.write(concat(frag(OP.TEXT, Array.from({ length: 16384 }, (_, i) => oneMiBText.subarray(i * 64, i * 64 + 64))).map((f) => maskedFrame(f)))),
  expect: echo(text(oneMiBText)), timeoutMs: 15000,
});
add({ id: '9.4.1', category: 9, title: '1 MiB binary written in 1 KiB pieces', rfc: '§5.2', run: send([{ op: OP.BINARY, data: pattern(MiB) }], 1024), expect: echo(binary(pattern(MiB))), timeoutMs: 15000 });
add({
  id: '9.5.1', category: 9, title: `header announcing maxPayload + 1 bytes (${ECHO_MAX_PAYLOAD + 1}): refused with 1009 from the header`, rfc: '§7.4.1 1009',
  run: async ({ client }) => client.write(concat([fromHex('82ff'), bigLength(ECHO_MAX_PAYLOAD + 1), fromHex('01020304')])), expect: fail(1009),
});
add({
  id: '9.5.2', category: 9, title: 'fragments summing over maxPayload', rfc: '§7.4.1 1009',
  run: async ({ client }) => {
    await send([{ op: OP.BINARY, data: pattern(ECHO_MAX_PAYLOAD / 2), fin: false }])({ client });
    await client.write(concat([fromHex('00ff'), bigLength(ECHO_MAX_PAYLOAD / 2 + 1), fromHex('01020304')]));
  },
  expect: fail(1009), timeoutMs: 15000,
});

// ---- 10 Misc ----
add({ id: '10.1', category: 10, title: 'frame from the client without a mask', rfc: '§5.1: the server must fail the connection', run: send([{ op: OP.TEXT, data: utf8('unmasked'), unmasked: true }]), expect: fail(1002) });
add({ id: '10.2', category: 10, title: '64 KiB text auto-fragmented into 1300-byte frames', rfc: '§5.4', run: send(frag(OP.TEXT, Array.from({ length: Math.ceil(65536 / 1300) }, (_, i) => oneMiBText.subarray(i * 1300, Math.min(65536, i * 1300 + 1300))))), expect: echo(text(oneMiBText.subarray(0, 65536))) });
add({
  id: '10.3', category: 10, title: '100 messages in one TCP write: all echoed, in order', rfc: '§5.4 (order)',
  run: async ({ client }) => client.write(concat(Array.from({ length: 100 }, (_, i) => maskedFrame({ op: OP.TEXT, data: utf8(`message ${i}`) })))),
  expect: echo(...Array.from({ length: 100 }, (_, i) => text(utf8(`message ${i}`)))),
});
add({
  id: '10.4', category: 10, title: 'frames in the same TCP write as the upgrade request are not lost', rfc: '§4.1 (data may follow the handshake at once)',
  early: concat([maskedFrame({ op: OP.TEXT, data: utf8('early') }), maskedFrame({ op: OP.PING, data: utf8('bird') })]),
  run: async () => {},
  expect: echo(text(utf8('early')), pong(utf8('bird'))),
});
add({ id: '10.5', category: 10, title: '64-bit length with the most significant bit set', rfc: '§5.2: the MSB must be 0', run: async ({ client }) => client.write(concat([fromHex('82ff 8000000000000001 01020304'), Uint8Array.of(0)])), expect: fail(1002) });

function bigLength(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

function maskedFrame(f: F): Uint8Array {
  const key = Uint8Array.of(0x12, 0x34, 0x56, 0x78);
  const data = Uint8Array.from(f.data ?? new Uint8Array(0));
  for (let i = 0; i < data.length; i++) data[i]! ^= key[i % 4]!;
  const n = data.length;
  const head = n < 126 ? [0x80 | n] : n < 65536 ? [0x80 | 126, n >> 8, n & 255] : [0x80 | 127, ...bigLength(n)];
  return concat([Uint8Array.of(((f.fin ?? true) ? 0x80 : 0) | (f.rsv ?? 0) | f.op, ...head, ...key), data]);
}

export const CASES: readonly ConformanceCase[] = [...cases, ...DEFLATE_CASES];

/**
 * Outcomes other than OK that are known and accepted for a target, each with its reason (see
 * fuzz/DIFFERENCES.md). The CI test fails on any other non-OK verdict, and on an entry that no
 * longer matches (so this list cannot go stale).
 */
export const KNOWN_DEVIATIONS: Readonly<Record<string, Readonly<Record<string, { readonly verdict: Verdict; readonly why: string }>>>> = {
  ws: {
    '6.4.1': { verdict: 'NON-STRICT', why: 'ws validates UTF-8 when the message is whole, so it fails at the end, not fast (DIFFERENCES D2)' },
    '6.4.2': { verdict: 'NON-STRICT', why: 'ws validates UTF-8 when the message is whole (D2)' },
    '6.4.3': { verdict: 'NON-STRICT', why: 'ws validates UTF-8 when the message is whole (D2)' },
    '10.5': { verdict: 'FAILED', why: 'ws answers a 64-bit length with the MSB set with 1009; §5.2 makes it a protocol error, 1002 (D3)' },
    '13.7': { verdict: 'FAILED', why: 'ws refuses the whole handshake (400) over an unknown parameter instead of declining that offer and taking the next (RFC 7692 §7.1) (D6)' },
  },
};
