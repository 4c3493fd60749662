/**
 * Round trip with permessage-deflate (RFC 7692): negotiated between a client and a server
 * factory with random parameters, messages compressed (or not, per message) by one codec and
 * inflated by the same or the other codec (pure TS ↔ node:zlib), through any chunking. The
 * peer must see exactly what was sent, in order.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Connection, type ConnectionEvent, type Extension, PENDING, createPerMessageDeflate, isAllowedOnWire } from '@sansock/core';
import { type Chunking, type Mutation, type SendOp, chunking, cut, mutate, mutation, sendOp } from '../arbitraries.js';
import { concat, isStrictUtf8 } from '../bytes.js';
import { type CodecName, codecNamed } from '../deflate-api.js';
import { type Expected, applyOp } from '../send.js';
import { firstCloseCode, walkFrames } from '../wire.js';
import { defineAsyncProperty } from './property.js';

export interface DeflateParams {
  readonly serverNoContextTakeover: boolean | undefined;
  readonly clientNoContextTakeover: boolean | undefined;
  readonly serverMaxWindowBits: number | undefined;
  readonly clientMaxWindowBits: number | true | undefined;
  readonly threshold: number;
}

export interface CompressedInput {
  readonly sender: 'client' | 'server';
  readonly senderCodec: CodecName;
  readonly receiverCodec: CodecName;
  readonly client: DeflateParams;
  readonly server: Pick<DeflateParams, 'serverNoContextTakeover' | 'clientNoContextTakeover' | 'threshold'>;
  readonly ops: readonly SendOp[];
  readonly compress: readonly boolean[];
  readonly fragmentSize: number | undefined;
  readonly chunking: Chunking;
}

const maybeTrue = fc.constantFrom(true, undefined);
const windowBits = fc.option(fc.integer({ min: 8, max: 15 }), { nil: undefined });

/** Polls until the connection stops waiting on its codec; returns the events meanwhile. */
async function settle(conn: Connection, events: ConnectionEvent[]): Promise<void> {
  for (let spins = 0; spins < 100_000; spins++) {
    const event = conn.nextEvent();
    if (event === PENDING) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    if (typeof event === 'symbol') return;
    events.push(event);
  }
  throw new Error('the connection never settled');
}

function negotiate(input: CompressedInput): { client: Extension; server: Extension } | null {
  const clientFactory = createPerMessageDeflate({ role: 'client', ...input.client }, codecNamed(input.sender === 'client' ? input.senderCodec : input.receiverCodec));
  const serverFactory = createPerMessageDeflate({ role: 'server', ...input.server }, codecNamed(input.sender === 'server' ? input.senderCodec : input.receiverCodec));
  const accepted = serverFactory.accept(clientFactory.offers());
  if (accepted === null) return null;
  const confirmed = clientFactory.confirm(accepted.response);
  assert.ok(typeof confirmed !== 'string', `the client refused the server's answer: ${String(confirmed)}`);
  return { client: confirmed, server: accepted.extension };
}

export const compressedRoundTrip = defineAsyncProperty<CompressedInput>({
  name: 'compressed-round-trip',
  ciRuns: 150,
  arbitrary: fc.record({
    sender: fc.constantFrom('client' as const, 'server' as const),
    senderCodec: fc.constantFrom('pure' as const, 'zlib' as const),
    receiverCodec: fc.constantFrom('pure' as const, 'zlib' as const),
    client: fc.record({
      serverNoContextTakeover: maybeTrue,
      clientNoContextTakeover: maybeTrue,
      serverMaxWindowBits: windowBits,
      clientMaxWindowBits: fc.oneof(windowBits, fc.constant(true as const)),
      threshold: fc.constantFrom(0, 16, 1024),
    }),
    server: fc.record({ serverNoContextTakeover: maybeTrue, clientNoContextTakeover: maybeTrue, threshold: fc.constantFrom(0, 16, 1024) }),
    ops: fc.array(sendOp(), { maxLength: 6 }),
    compress: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    fragmentSize: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
    chunking: chunking(),
  }),
  // Asynchronous (node:zlib): run with fc.asyncProperty.
  check: (input) => checkCompressedRoundTrip(input),
});

/** How many compressed (RSV1) messages the runs produced, so a test can assert it is not vacuous. */
export const compressionStats = { compressedMessages: 0, runs: 0 };

export async function checkCompressedRoundTrip(input: CompressedInput): Promise<void> {
  const negotiated = negotiate(input);
  assert.ok(negotiated !== null, 'the server declined an offer it should accept');
  const receiverRole = input.sender === 'client' ? 'server' : 'client';
  const sender = new Connection({ role: input.sender, extensions: [negotiated[input.sender]], fragmentSize: input.fragmentSize });
  const receiver = new Connection({ role: receiverRole, extensions: [negotiated[receiverRole]] });

  const expected = input.ops.flatMap((op, n) => applyOp(sender, op, input.compress[n % input.compress.length]!));
  const senderEvents: ConnectionEvent[] = [];
  await settle(sender, senderEvents);
  assert.deepEqual(senderEvents, [], 'the sender reported something');
  const stream = concat(sender.takeOutput());
  // Frames are well formed; RSV1 only ever on a message's first frame (RFC 7692 §6).
  compressionStats.runs++;
  for (const frame of walkFrames(stream).frames) {
    if ((frame.rsv & 0x40) === 0) continue;
    assert.ok(frame.opcode === 1 || frame.opcode === 2, `RSV1 on opcode ${frame.opcode}`);
    compressionStats.compressedMessages++;
  }

  const events: ConnectionEvent[] = [];
  for (const piece of cut(stream, input.chunking)) {
    receiver.receiveData(piece);
    await settle(receiver, events);
  }
  const seen = events.flatMap((e): Expected[] =>
    e.type === 'message' ? [{ kind: 'message', binary: e.binary, data: Uint8Array.from(e.data) }] : e.type === 'ping' || e.type === 'pong' ? [{ kind: e.type, data: Uint8Array.from(e.data) }] : [],
  );
  const failures = events.filter((e) => e.type === 'error');
  assert.deepEqual(failures, [], 'the receiver failed the connection');
  assert.deepEqual(seen, expected);
  receiver.receiveData(null);
  sender.receiveData(null);
  await settle(receiver, events);
  await settle(sender, senderEvents);
}

export interface CompressedHostileInput {
  readonly base: CompressedInput;
  readonly mutations: readonly Mutation[];
  readonly maxPayload: number;
}

/**
 * Hostile compressed input: a real compressed stream, mutated (bit flips in the DEFLATE data,
 * RSV1 moved to continuations, truncation...), read by a receiver with permessage-deflate and
 * a small or large maxPayload. Never throws, settles, fails only with wire-legal codes that it
 * writes in its close frame, and never delivers a message over maxPayload (inflate is bounded).
 */
export const compressedHostile = defineAsyncProperty<CompressedHostileInput>({
  name: 'compressed-hostile',
  ciRuns: 150,
  arbitrary: fc.record({
    base: compressedRoundTrip.arbitrary,
    mutations: fc.array(mutation(), { minLength: 1, maxLength: 3 }),
    maxPayload: fc.constantFrom(64, 1024, 0),
  }),
  check: async ({ base, mutations, maxPayload }) => {
    const negotiated = negotiate(base);
    if (negotiated === null) return;
    const receiverRole = base.sender === 'client' ? 'server' : 'client';
    const sender = new Connection({ role: base.sender, extensions: [negotiated[base.sender]], fragmentSize: base.fragmentSize });
    for (const op of base.ops) {
      if (op.kind === 'message') sender.send(op.data, { binary: op.binary });
      else sender.ping(op.data);
    }
    await settle(sender, []);
    const stream = mutate(concat(sender.takeOutput()), mutations);
    const receiver = new Connection({ role: receiverRole, extensions: [negotiated[receiverRole]], maxPayload });
    const events: ConnectionEvent[] = [];
    for (const piece of cut(stream, base.chunking)) {
      receiver.receiveData(piece);
      await settle(receiver, events);
    }
    receiver.receiveData(null);
    await settle(receiver, events);
    assert.equal(events.at(-1)?.type, 'closed', 'the last event is closed');
    for (const e of events) {
      if (e.type === 'message' && maxPayload > 0) assert.ok(e.data.length <= maxPayload, `a ${e.data.length}-byte message passed maxPayload ${maxPayload}`);
      if (e.type === 'message' && !e.binary) assert.ok(isStrictUtf8(e.data), 'invalid UTF-8 delivered');
    }
    const error = events.find((e) => e.type === 'error');
    if (error?.type === 'error') {
      const closeCode = (error.error as { closeCode?: number }).closeCode;
      assert.ok(closeCode !== undefined && isAllowedOnWire(closeCode), `failed with close code ${closeCode}`);
      assert.equal(firstCloseCode(concat(receiver.takeOutput())), closeCode, 'the close frame carries the error code');
    }
  },
});
