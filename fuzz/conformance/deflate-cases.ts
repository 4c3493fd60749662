/**
 * Categories 12 and 13: permessage-deflate (RFC 7692), in the spirit of Autobahn's. 12: compressed
 * messages of many sizes, with context takeover, fragmented, mixed with uncompressed ones and
 * with control frames between fragments, plus the rules a receiver enforces (RSV1 only on a
 * message's first frame, valid DEFLATE data, the size limit after inflating). 13: negotiation
 * parameters, each followed by compressed traffic.
 */
import { utf8 } from '../src/bytes.js';
import { OP } from '../src/wire.js';
import type { DeflateAgreement } from './deflate-session.js';
import type { CaseContext, ConformanceCase, Expectation, Reply } from './engine.js';
import { ECHO_MAX_PAYLOAD } from './targets.js';

const text = (data: Uint8Array): Reply => ({ kind: 'text', data });
const binary = (data: Uint8Array): Reply => ({ kind: 'binary', data });
const echo = (...replies: Reply[]): Expectation => ({ kind: 'echo', replies });
const fail = (code: number): Expectation => ({ kind: 'fail', code });

/** Compressible but varied content: words from a small vocabulary, seeded by `n`. */
function words(size: number, n: number): Uint8Array {
  const vocabulary = ['alpha', 'beta', 'gamma', 'delta', 'κόσμε', 'ws', 'deflate', '€uro', 'frame', 'x'];
  let out = '';
  let state = n * 7919 + 1;
  while (out.length < size) {
    state = (state * 1103515245 + 12345) >>> 0;
    out += vocabulary[state % vocabulary.length]! + ' ';
  }
  const bytes = utf8(out);
  // Cut on a code point boundary.
  let end = Math.min(size, bytes.length);
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
const noise = (size: number, n: number) => Uint8Array.from({ length: size }, (_, i) => (Math.imul(i + n * 131, 2654435761) >>> 24) & 0xff);

const DEFAULT_OFFER = 'permessage-deflate; client_max_window_bits';
const cases: ConformanceCase[] = [];
const add = (c: ConformanceCase) => cases.push(c);

const sendMessages = (messages: ReadonlyArray<[number, Uint8Array]>, fragments = 1) => async ({ client }: CaseContext) => {
  for (const [opcode, data] of messages) await client.sendCompressed(opcode, data, { fragments });
};

[16, 64, 256, 1024, 4096, 16384, 65536, 262144].forEach((size, i) => {
  const texts = Array.from({ length: 10 }, (_, n) => words(size, n));
  add({
    id: `12.1.${i + 1}`, category: 12, title: `10 compressed text messages of ${size} bytes (context takeover)`, rfc: 'RFC 7692 §7.2',
    deflate: { offer: DEFAULT_OFFER }, run: sendMessages(texts.map((t) => [OP.TEXT, t])), expect: echo(...texts.map(text)), timeoutMs: 10000,
  });
  const blobs = Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? noise(size, n) : words(size, n)));
  add({
    id: `12.2.${i + 1}`, category: 12, title: `10 compressed binary messages of ${size} bytes (incompressible and compressible)`, rfc: 'RFC 7692 §7.2',
    deflate: { offer: DEFAULT_OFFER }, run: sendMessages(blobs.map((b) => [OP.BINARY, b])), expect: echo(...blobs.map(binary)), timeoutMs: 10000,
  });
});
[1024, 65536].forEach((size, i) => {
  const texts = Array.from({ length: 5 }, (_, n) => words(size, n + 50));
  add({
    id: `12.3.${i + 1}`, category: 12, title: `5 compressed text messages of ${size} bytes, each in 4 fragments (RSV1 on the first)`, rfc: 'RFC 7692 §6.1',
    deflate: { offer: DEFAULT_OFFER }, run: sendMessages(texts.map((t) => [OP.TEXT, t]), 4), expect: echo(...texts.map(text)),
  });
});
add({
  id: '12.4.1', category: 12, title: 'compressed and uncompressed messages alternating', rfc: 'RFC 7692 §6 (compression is per message)',
  deflate: { offer: DEFAULT_OFFER },
  run: async ({ client }) => {
    for (let n = 0; n < 6; n++) {
      if (n % 2 === 0) await client.sendCompressed(OP.TEXT, words(500, n));
      else await client.send({ fin: true, rsv: 0, opcode: OP.TEXT, payload: words(500, n) });
    }
  },
  expect: echo(...Array.from({ length: 6 }, (_, n) => text(words(500, n)))),
});
add({
  id: '12.5.1', category: 12, title: 'compressed message in 2 fragments with a ping between', rfc: 'RFC 6455 §5.4, RFC 7692 §6.1',
  deflate: { offer: DEFAULT_OFFER },
  run: async ({ client }) => {
    const compressed = await client.deflate!.compress(words(3000, 9));
    const half = compressed.length >> 1;
    await client.send({ fin: false, rsv: 0x40, opcode: OP.TEXT, payload: compressed.subarray(0, half) });
    await client.send({ fin: true, rsv: 0, opcode: OP.PING, payload: utf8('between') });
    await client.send({ fin: true, rsv: 0, opcode: OP.CONT, payload: compressed.subarray(half) });
  },
  expect: echo({ kind: 'pong', data: utf8('between') }, text(words(3000, 9))),
});
add({
  id: '12.6.1', category: 12, title: 'RSV1 on a continuation frame', rfc: 'RFC 7692 §6.1: only the first frame carries RSV1',
  deflate: { offer: DEFAULT_OFFER }, run: async ({ client }) => client.sendCompressed(OP.TEXT, words(2000, 1), { fragments: 2, rsvOnAll: true }), expect: fail(1002),
});
add({
  id: '12.6.2', category: 12, title: 'RSV1 on a ping', rfc: 'RFC 7692 §6: control frames are never compressed',
  deflate: { offer: DEFAULT_OFFER }, run: async ({ client }) => client.send({ fin: true, rsv: 0x40, opcode: OP.PING, payload: utf8('x') }), expect: fail(1002),
});
add({
  id: '12.6.3', category: 12, title: 'invalid DEFLATE data (reserved block type 3)', rfc: 'RFC 7692 §8 (an inflate error fails the connection; 1007 as ws does)',
  deflate: { offer: DEFAULT_OFFER }, run: async ({ client }) => client.send({ fin: true, rsv: 0x40, opcode: OP.BINARY, payload: Uint8Array.of(0xff, 0xff, 0xff, 0xff) }), expect: fail(1007),
});
add({
  id: '12.6.4', category: 12, title: `a message inflating past maxPayload (${ECHO_MAX_PAYLOAD * 2} zero bytes)`, rfc: 'RFC 6455 §7.4.1 1009',
  deflate: { offer: DEFAULT_OFFER }, run: async ({ client }) => client.sendCompressed(OP.BINARY, new Uint8Array(ECHO_MAX_PAYLOAD * 2)), expect: fail(1009), timeoutMs: 10000,
});
add({
  id: '12.6.5', category: 12, title: 'compressed text that inflates to invalid UTF-8', rfc: 'RFC 6455 §8.1',
  deflate: { offer: DEFAULT_OFFER }, run: async ({ client }) => client.sendCompressed(OP.TEXT, Uint8Array.of(0x61, 0xed, 0xa0, 0x80)), expect: fail(1007),
});

add({
  id: '12.7.1', category: 12, title: 'compressed messages then a close right behind them: all echoed before the close reply', rfc: 'RFC 6455 §7.1.2, DESIGN "Ordering" (async codecs keep protocol order)',
  deflate: { offer: DEFAULT_OFFER },
  run: async ({ client }) => {
    for (let n = 0; n < 3; n++) await client.sendCompressed(OP.BINARY, noise(20000, n));
    await client.send({ fin: true, rsv: 0, opcode: OP.CLOSE, payload: Uint8Array.of(0x03, 0xe8) });
  },
  expect: { kind: 'close-reply', codes: [1000], replies: [0, 1, 2].map((n) => binary(noise(20000, n))) },
});

add({
  id: '12.7.2', category: 12, title: 'compressed messages then a reserved opcode: all echoed, then the 1002 close', rfc: 'RFC 6455 §7.1.7, DESIGN "Ordering"',
  deflate: { offer: DEFAULT_OFFER },
  run: async ({ client }) => {
    for (let n = 0; n < 3; n++) await client.sendCompressed(OP.BINARY, noise(20000, n + 10));
    await client.send({ fin: true, rsv: 0, opcode: 3, payload: new Uint8Array(0) });
  },
  expect: { kind: 'fail', code: 1002, replies: [0, 1, 2].map((n) => binary(noise(20000, n + 10))) },
});

// ---- 13: negotiation parameters (RFC 7692 §7.1), then compressed traffic ----
const traffic = Array.from({ length: 5 }, (_, n) => words(2048, n + 100));
const negotiated = (id: string, title: string, offer: string, agreement?: (a: DeflateAgreement) => string | undefined, rfc = 'RFC 7692 §7.1') =>
  add({ id, category: 13, title, rfc, deflate: { offer, agreement }, run: sendMessages(traffic.map((t) => [OP.TEXT, t])), expect: echo(...traffic.map(text)) });

negotiated('13.1', 'offer with no parameters', 'permessage-deflate');
negotiated('13.2', 'client_no_context_takeover', 'permessage-deflate; client_no_context_takeover');
negotiated('13.3', 'server_no_context_takeover: the server must honour it', 'permessage-deflate; server_no_context_takeover', (a) =>
  a.serverNoContextTakeover ? undefined : 'server_no_context_takeover missing from the response', 'RFC 7692 §7.1.1.1');
[9, 12, 15].forEach((bits, i) =>
  negotiated(`13.4.${i + 1}`, `server_max_window_bits=${bits}: the server uses at most that`, `permessage-deflate; server_max_window_bits=${bits}`, (a) =>
    a.serverMaxWindowBits <= bits ? undefined : `server_max_window_bits ${a.serverMaxWindowBits} > ${bits}`, 'RFC 7692 §7.1.2.1'),
);
negotiated('13.5', 'client_max_window_bits (bare)', 'permessage-deflate; client_max_window_bits');
negotiated('13.6', 'every parameter at once', 'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=10', (a) =>
  a.serverNoContextTakeover && a.serverMaxWindowBits <= 10 ? undefined : 'server_no_context_takeover / server_max_window_bits not honoured');
negotiated('13.7', 'an unknown parameter in the first offer: the server declines it and takes the second', 'permessage-deflate; x-unknown, permessage-deflate', undefined, 'RFC 7692 §7.1 (a server MUST decline an offer with a parameter not defined for offers)');

export const DEFLATE_CASES: readonly ConformanceCase[] = cases;
