/**
 * Compress → inflate round trips between a client and a server Connection, both using
 * permessage-deflate on node:zlib (asynchronous), for every window size and context-takeover
 * setting, with fragmented sends; and across codecs: node:zlib on one side, the pure codec of
 * the core on the other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DeflateNegotiationOptions, type ExtensionFactory, createPerMessageDeflate, pureDeflateCodec } from '@sansock/core';
import { createNodePerMessageDeflate } from '../src/permessage-deflate/index.js';
import { type End, negotiate, pair, settle } from './permessage-deflate-helpers.js';

const windowBits = fc.constantFrom(8, 9, 10, 11, 12, 13, 14, 15);
const negotiation = fc.record({
  serverNoContextTakeover: fc.boolean(),
  clientNoContextTakeover: fc.boolean(),
  serverMaxWindowBits: windowBits,
  clientMaxWindowBits: windowBits,
});
const message = fc.record({
  data: fc.oneof(
    fc.uint8Array({ maxLength: 4000 }),
    fc.string({ maxLength: 1500 }).map((s) => new TextEncoder().encode(s.repeat(4))),
    fc.constant(new Uint8Array(0)),
  ),
  cuts: fc.array(fc.nat(), { maxLength: 4 }),
  compress: fc.boolean(),
});
type Message = { data: Uint8Array; cuts: number[]; compress: boolean };

function sendAll(end: End, list: Message[]): void {
  for (const m of list) {
    const cuts = [...new Set(m.cuts.map((c) => c % (m.data.length + 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const cut of cuts) {
      end.conn.send(m.data.subarray(from, cut), { binary: true, fin: false, compress: m.compress });
      end.conn.ping(); // control frames between fragments
      from = cut;
    }
    end.conn.send(m.data.subarray(from), { binary: true, compress: m.compress });
  }
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

type FactoryMaker = (role: 'client' | 'server', options: DeflateNegotiationOptions) => ExtensionFactory;
const nodeFactory: FactoryMaker = (role, options) => createNodePerMessageDeflate(options, { role, maxPayload: 0 });
const pureFactory: FactoryMaker = (role, options) => createPerMessageDeflate({ ...options, role }, pureDeflateCodec);

async function roundTrip(makeClient: FactoryMaker, makeServer: FactoryMaker, opts: DeflateNegotiationOptions, list: Message[], fragmentSize: number) {
  const extensions = negotiate(makeClient('client', { ...opts, threshold: 0 }), makeServer('server', { ...opts, threshold: 0 }));
  const { client, server, signal } = pair(extensions, { fragmentSize });
  sendAll(client, list);
  await settle(signal, client, server);
  const expected = list.map((m) => hexOf(m.data));
  expect(server.messages().map((m) => hexOf(m.data))).toEqual(expected);
  // Compression really happened (RSV1 on the wire) when asked for.
  expect(client.written.some((f) => (f[0]! & 0x40) !== 0)).toBe(list.some((m) => m.compress));
  sendAll(server, list);
  await settle(signal, client, server);
  expect(client.messages().map((m) => hexOf(m.data))).toEqual(expected);
  // Orderly close: both dispose their codecs.
  client.conn.close(1000);
  await settle(signal, client, server);
  server.conn.receiveData(null);
  client.conn.receiveData(null);
  await settle(signal, client, server);
  expect(client.events.at(-1)).toMatchObject({ type: 'closed', wasClean: true });
  expect(server.events.some((e) => e.type === 'error') || client.events.some((e) => e.type === 'error')).toBe(false);
}

describe('permessage-deflate round trips through Connections', () => {
  for (const [name, makeClient, makeServer] of [
    ['node:zlib ⇄ node:zlib', nodeFactory, nodeFactory],
    ['pure client ⇄ node:zlib server', pureFactory, nodeFactory],
    ['node:zlib client ⇄ pure server', nodeFactory, pureFactory],
  ] as const) {
    it(`${name}: every window size and context-takeover setting, fragmented sends`, async () => {
      await fc.assert(
        fc.asyncProperty(negotiation, fc.array(message, { minLength: 1, maxLength: 6 }), fc.constantFrom(Infinity, 7, 1000), (opts, list, fragmentSize) =>
          roundTrip(makeClient, makeServer, opts, list, fragmentSize),
        ),
        { numRuns: 60 },
      );
    });
  }

  it('node:zlib: 1,000 messages on one connection with context takeover, windows 9 and 8', async () => {
    const list = Array.from({ length: 1000 }, (_, i) => ({
      data: new TextEncoder().encode(`{"id":${i},"text":"message number ${i}","pad":"${'ab'.repeat(i % 50)}"}`),
      cuts: i % 10 === 0 ? [7] : [],
      compress: true,
    }));
    await roundTrip(nodeFactory, nodeFactory, { serverMaxWindowBits: 9, clientMaxWindowBits: 8 }, list, Infinity);
  });
});
