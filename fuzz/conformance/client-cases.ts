/**
 * Conformance cases for a client (categories 1, 2, 3, 4, 5, 6, 7): the harness is a raw TCP
 * server that sends crafted, normally unmasked frames to an echo client. Ids start with "c".
 */
import { utf8 } from '../src/bytes.js';
import { OP } from '../src/wire.js';
import { asciiText, binary, closeCode, closeReply, echo, fail, frag, fromHex, pattern, pong, send, text } from './cases.js';
import type { ConformanceCase, Verdict } from './engine.js';

const cases: ConformanceCase[] = [];
const add = (c: ConformanceCase) => cases.push(c);

[0, 125, 126, 65535, 65536].forEach((n, i) => {
  add({ id: `c1.1.${i + 1}`, category: 1, title: `text message, ${n} bytes: echoed, masked`, rfc: '§5.2, §5.3', run: send([{ op: OP.TEXT, data: asciiText(n) }]), expect: echo(text(asciiText(n))) });
  add({ id: `c1.2.${i + 1}`, category: 1, title: `binary message, ${n} bytes: echoed, masked`, rfc: '§5.2, §5.3', run: send([{ op: OP.BINARY, data: pattern(n) }]), expect: echo(binary(pattern(n))) });
});
add({ id: 'c1.3', category: 1, title: 'binary message written 1 byte at a time', rfc: '§5.2', run: send([{ op: OP.BINARY, data: pattern(100) }], 1), expect: echo(binary(pattern(100))) });
add({ id: 'c1.4', category: 1, title: 'masked frame from the server', rfc: '§5.1: a client MUST close the connection on a masked frame', run: send([{ op: OP.TEXT, data: utf8('masked'), masked: true }]), expect: fail(1002) });

add({ id: 'c2.1', category: 2, title: 'ping, empty: pong', rfc: '§5.5.2', run: send([{ op: OP.PING }]), expect: echo(pong()) });
add({ id: 'c2.2', category: 2, title: 'ping, 125 bytes: pong with the same payload', rfc: '§5.5.2', run: send([{ op: OP.PING, data: pattern(125) }]), expect: echo(pong(pattern(125))) });
add({ id: 'c2.3', category: 2, title: 'ping, 126 bytes', rfc: '§5.5', run: send([{ op: OP.PING, data: pattern(126) }]), expect: fail(1002) });
add({ id: 'c2.4', category: 2, title: 'unsolicited pong: no reply', rfc: '§5.5.3', run: send([{ op: OP.PONG, data: utf8('hb') }]), expect: echo() });
add({
  id: 'c2.5', category: 2, title: '5 pings, 1 byte at a time: 5 pongs in order', rfc: '§5.5.2',
  run: send(Array.from({ length: 5 }, (_, i) => ({ op: OP.PING, data: utf8(`p${i}`) })), 1), expect: echo(...Array.from({ length: 5 }, (_, i) => pong(utf8(`p${i}`)))),
});

add({ id: 'c3.1', category: 3, title: 'text with RSV1 (no extension negotiated)', rfc: '§5.2', run: send([{ op: OP.TEXT, rsv: 0x40, data: utf8('x') }]), expect: fail(1002) });
add({ id: 'c4.1', category: 4, title: 'reserved opcode 3', rfc: '§5.2', run: send([{ op: 3 }]), expect: fail(1002) });
add({ id: 'c4.2', category: 4, title: 'reserved control opcode 11', rfc: '§5.2', run: send([{ op: 0xb }]), expect: fail(1002) });

add({ id: 'c5.1', category: 5, title: 'text in 3 fragments', rfc: '§5.4', run: send(frag(OP.TEXT, [utf8('a'), utf8('b'), utf8('c')])), expect: echo(text(utf8('abc'))) });
add({
  id: 'c5.2', category: 5, title: 'text in 2 fragments with a ping between', rfc: '§5.4',
  run: send([{ op: OP.TEXT, data: utf8('frag'), fin: false }, { op: OP.PING, data: utf8('mid') }, { op: OP.CONT, data: utf8('ment') }]),
  expect: echo(pong(utf8('mid')), text(utf8('fragment'))),
});
add({ id: 'c5.3', category: 5, title: 'continuation with no message to continue', rfc: '§5.4', run: send([{ op: OP.CONT, data: utf8('x') }]), expect: fail(1002) });
add({ id: 'c5.4', category: 5, title: 'new text inside a fragmented one', rfc: '§5.4', run: send([{ op: OP.TEXT, data: utf8('a'), fin: false }, { op: OP.TEXT, data: utf8('b') }]), expect: fail(1002) });
add({ id: 'c5.5', category: 5, title: 'ping in 2 fragments', rfc: '§5.5', run: send([{ op: OP.PING, data: utf8('a'), fin: false }, { op: OP.CONT, data: utf8('b') }]), expect: fail(1002) });

add({ id: 'c6.1', category: 6, title: 'valid UTF-8 split inside a code point across fragments', rfc: '§5.6', run: send(frag(OP.TEXT, [fromHex('e282'), fromHex('ac')])), expect: echo(text(fromHex('e282ac'))) });
add({ id: 'c6.2', category: 6, title: 'invalid UTF-8 (surrogate)', rfc: '§8.1', run: send([{ op: OP.TEXT, data: fromHex('eda080') }]), expect: fail(1007) });

add({ id: 'c7.1', category: 7, title: 'close 1000: echoed, and the client waits for the server to close TCP', rfc: '§5.5.1, §7.1.1', run: send([{ op: OP.CLOSE, data: closeCode(1000) }]), expect: closeReply([1000]) });
add({ id: 'c7.2', category: 7, title: 'close without payload: empty (or 1000) reply', rfc: '§5.5.1', run: send([{ op: OP.CLOSE }]), expect: closeReply(['empty', 1000]) });
add({ id: 'c7.3', category: 7, title: 'close 4000 with a reason: 4000 echoed', rfc: '§5.5.1, §7.4.2', run: send([{ op: OP.CLOSE, data: closeCode(4000, utf8('bye')) }]), expect: closeReply([4000]) });
add({ id: 'c7.4', category: 7, title: 'close with a 1-byte payload', rfc: '§5.5.1', run: send([{ op: OP.CLOSE, data: Uint8Array.of(3) }]), expect: fail(1002) });
add({ id: 'c7.5', category: 7, title: 'close with code 1005 (never on the wire)', rfc: '§7.4.1', run: send([{ op: OP.CLOSE, data: closeCode(1005) }]), expect: fail(1002) });
add({ id: 'c7.6', category: 7, title: 'close reason with invalid UTF-8', rfc: '§8.1', run: send([{ op: OP.CLOSE, data: closeCode(1000, fromHex('ff')) }]), expect: fail(1007) });
add({ id: 'c7.7', category: 7, title: 'message, then close: message echoed before the close reply', rfc: '§7.1.2', run: send([{ op: OP.TEXT, data: utf8('last') }, { op: OP.CLOSE, data: closeCode(1000) }]), expect: closeReply([1000], text(utf8('last'))) });

// ---- 12/13: permessage-deflate on the client (RFC 7692). The raw server answers the client's
// offer with `deflateResponse`, compresses what it sends, and inflates the echoes with exactly
// the window and context rule it granted the client.
const repeatedAtDistance = (distance: number, n: number) => {
  const block = Uint8Array.from({ length: distance }, (_, i) => 0x21 + ((Math.imul(i + n * 977, 2654435761) >>> 25) % 90));
  return Uint8Array.from([...block, ...block, ...block]);
};
const deflateEcho = (id: string, title: string, response: string, messages: Uint8Array[], rfc: string, fragments = 1) =>
  add({
    id, category: id.startsWith('c13') ? 13 : 12, title, rfc, deflateResponse: response,
    run: async ({ client }) => {
      for (const m of messages) await client.sendCompressed(OP.TEXT, m, { fragments });
    },
    expect: echo(...messages.map(text)),
  });
const sizes = [100, 5000, 70000].map((n, i) => repeatedAtDistance(Math.max(10, n / 3), i));
deflateEcho('c12.1', 'compressed text messages of 300 B, 15 KB and 210 KB, echoed', 'permessage-deflate', sizes, 'RFC 7692 §7.2');
deflateEcho('c12.2', 'compressed messages in 3 fragments, echoed', 'permessage-deflate', sizes.slice(0, 2), 'RFC 7692 §6.1', 3);
add({
  id: 'c12.3', category: 12, title: 'RSV1 on a continuation frame', rfc: 'RFC 7692 §6.1', deflateResponse: 'permessage-deflate',
  run: async ({ client }) => client.sendCompressed(OP.TEXT, repeatedAtDistance(500, 1), { fragments: 2, rsvOnAll: true }), expect: fail(1002),
});
add({
  id: 'c12.4', category: 12, title: 'invalid DEFLATE data', rfc: 'RFC 7692 §8', deflateResponse: 'permessage-deflate',
  run: send([{ op: OP.BINARY, rsv: 0x40, data: fromHex('ffffffff') }]), expect: fail(1007),
});
add({
  id: 'c12.5', category: 12, title: 'compressed messages then a close right behind them: all echoed before the close reply', rfc: 'RFC 6455 §7.1.2 (order)', deflateResponse: 'permessage-deflate',
  run: async ({ client }) => {
    for (const m of sizes) await client.sendCompressed(OP.TEXT, m);
    await client.send({ fin: true, rsv: 0, opcode: OP.CLOSE, payload: closeCode(1000) });
  },
  expect: closeReply([1000], ...sizes.map(text)),
});
const similar = Array.from({ length: 5 }, () => repeatedAtDistance(700, 3));
deflateEcho('c13.1', 'server_no_context_takeover: the server resets its context per message', 'permessage-deflate; server_no_context_takeover', similar, 'RFC 7692 §7.1.1.1');
deflateEcho('c13.2', 'client_no_context_takeover: the client must reset its context (identical messages would reference the previous one)', 'permessage-deflate; client_no_context_takeover', similar, 'RFC 7692 §7.1.1.2');
deflateEcho('c13.3', 'client_max_window_bits=9: the client must not reference more than 512 bytes back (repeats 700 bytes apart)', 'permessage-deflate; client_max_window_bits=9', similar, 'RFC 7692 §7.1.2.2');
deflateEcho('c13.4', 'server_max_window_bits=10 in the response', 'permessage-deflate; server_max_window_bits=10', similar, 'RFC 7692 §7.1.2.1');
add({ id: 'c13.5', category: 13, title: 'response names an extension the client never offered', rfc: 'RFC 6455 §4.1 (client step 5), §9.1', deflateResponse: 'x-never-offered', run: async () => {}, expect: { kind: 'refused' } });
add({ id: 'c13.6', category: 13, title: 'permessage-deflate response with an unknown parameter', rfc: 'RFC 7692 §7.1 (the client MUST fail the connection)', deflateResponse: 'permessage-deflate; x-unknown', run: async () => {}, expect: { kind: 'refused' } });
add({ id: 'c13.7', category: 13, title: 'permessage-deflate response with server_max_window_bits=16 (out of range)', rfc: 'RFC 7692 §7.1.2.1', deflateResponse: 'permessage-deflate; server_max_window_bits=16', run: async () => {}, expect: { kind: 'refused' } });

export const CLIENT_CASES: readonly ConformanceCase[] = cases;

/** Known non-OK client verdicts per target, with the reason (see fuzz/DIFFERENCES.md). */
export const KNOWN_CLIENT_DEVIATIONS: Readonly<Record<string, Readonly<Record<string, { readonly verdict: Verdict; readonly why: string }>>>> = {};
