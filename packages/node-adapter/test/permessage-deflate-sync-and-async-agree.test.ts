/**
 * The node:zlib codec's two paths give the same results for the same bytes: messages with
 * context takeover, a final block (BFINAL) and the message after it, invalid DEFLATE (the same
 * zlib error: message, code, errno), output past the limit (undefined), and fragments. The
 * synchronous path (default bound) and the thread-pool path (bound 0) are run side by side.
 */
import { constants, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Decompressor, pureDeflateCodec } from '@sansock/core';
import { Limiter, createZlibCodec } from '../src/permessage-deflate/index.js';
import { SyncZlib } from '../src/permessage-deflate/zlib-sync.js';

const TRAILER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const limiter = new Limiter(10);

/** The outcome of one decompress call, comparable across paths. */
async function outcome(decompressor: Decompressor, pieces: Uint8Array[], maxBytes = 1 << 30): Promise<unknown> {
  try {
    const bytes = await decompressor.decompress(pieces, maxBytes);
    return bytes === undefined ? 'over the limit' : Buffer.from(bytes).toString('latin1');
  } catch (error) {
    const { message, code, errno } = error as Error & { code?: string; errno?: number };
    return { message, code, errno };
  }
}

/** Sync-flushed raw DEFLATE of each message on one stream (context kept), trailers removed. */
async function peerMessages(messages: string[]): Promise<Uint8Array[]> {
  const stream = createDeflateRaw({ flush: constants.Z_SYNC_FLUSH });
  const out: Uint8Array[] = [];
  for (const message of messages) {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    stream.on('data', onData);
    await new Promise<void>((resolve) => stream.write(message, () => resolve()));
    stream.off('data', onData);
    const whole = Buffer.concat(chunks);
    out.push(whole.subarray(0, whole.length - 4));
  }
  stream.close();
  return out;
}

/** Runs the same calls through both paths; returns both lists of outcomes and how many synchronous calls ran. */
async function bothPaths(calls: Array<{ pieces: Uint8Array[]; maxBytes?: number }>) {
  const results: unknown[][] = [];
  let syncCalls = 0;
  const proto = SyncZlib.prototype;
  const write = proto.write;
  proto.write = function (this: SyncZlib, ...args: Parameters<SyncZlib['write']>) {
    syncCalls++;
    return write.apply(this, args);
  };
  try {
    for (const syncMaxBytes of [undefined, 0]) {
      const before = syncCalls;
      const decompressor = createZlibCodec({ syncMaxBytes }, limiter).createDecompressor({ windowBits: 15 });
      const seen: unknown[] = [];
      for (const call of calls) seen.push(await outcome(decompressor, call.pieces, call.maxBytes));
      decompressor.dispose();
      results.push(seen);
      // The default bound takes every call here synchronously; bound 0 none.
      if (syncMaxBytes === undefined) expect(syncCalls).toBeGreaterThanOrEqual(before + calls.length);
      else expect(syncCalls).toBe(before);
    }
  } finally {
    proto.write = write;
  }
  return { sync: results[0]!, async: results[1]! };
}

describe('synchronous and thread-pool inflation agree', () => {
  it('messages with context takeover, whole and in fragments', async () => {
    const messages = ['{"hello":"world"}', '{"hello":"world","again":true}', 'x'.repeat(5000), '{"hello":"world"}'];
    const [a, b, c, d] = await peerMessages(messages);
    const calls = [
      { pieces: [a!, TRAILER] },
      { pieces: [b!, TRAILER] },
      // A fragmented message: a frame without the trailer, then the last one with it.
      { pieces: [c!.subarray(0, 7)] },
      { pieces: [c!.subarray(7), TRAILER] },
      { pieces: [d!, TRAILER] },
    ];
    const { sync, async } = await bothPaths(calls);
    expect(sync).toEqual(async);
    expect(sync[0]).toBe(messages[0]);
    expect(sync[1]).toBe(messages[1]);
    expect(`${sync[2]}${sync[3]}`).toBe(messages[2]);
    expect(sync[4]).toBe(messages[3]);
  });

  it('a message ending with a final block (BFINAL), then a message on a new stream (RFC 7692 §7.2.3.4)', async () => {
    const final = deflateRawSync('the end'); // Z_FINISH: the last block has BFINAL set
    const [next] = await peerMessages(['a new stream']);
    const { sync, async } = await bothPaths([{ pieces: [final, TRAILER] }, { pieces: [next!, TRAILER] }]);
    expect(sync).toEqual(['the end', 'a new stream']);
    expect(async).toEqual(sync);
  });

  it('a frame ending exactly with a final block: the next call starts a new stream, as with the core\'s pure codec', async () => {
    // No trailer after it (a frame that is not the message's last), so zlib cannot tell the
    // stream ended until the next call, which it then refuses whole: that call is the new stream.
    // (The thread-pool path drops that call's output instead: it only notices the end there.)
    const final = deflateRawSync('the end');
    const [next] = await peerMessages(['a new stream']);
    const calls = [[final], [next!, TRAILER]];
    const decompressor = createZlibCodec({}, limiter).createDecompressor({ windowBits: 15 });
    const pure = pureDeflateCodec.createDecompressor({ windowBits: 15 });
    const ours: unknown[] = [];
    const theirs: unknown[] = [];
    for (const pieces of calls) {
      ours.push(await outcome(decompressor, pieces));
      theirs.push(await outcome(pure, pieces));
    }
    expect(ours).toEqual(['the end', 'a new stream']);
    expect(theirs).toEqual(ours);
  });

  it('invalid DEFLATE: the same zlib error from both (message, code, errno)', async () => {
    const cases = [
      Uint8Array.of(0x22, 0xfa, 0xec, 0x78), // a distance before the start of the stream
      Uint8Array.of(0xff, 0xff, 0xff, 0x01), // block type 3
      Uint8Array.of(0x00, 0x05, 0x00, 0x00, 0x00), // a stored block whose length and complement disagree
    ];
    for (const bytes of cases) {
      const { sync, async } = await bothPaths([{ pieces: [bytes, TRAILER] }]);
      expect(sync).toEqual(async);
      expect(sync[0]).toMatchObject({ code: 'Z_DATA_ERROR', errno: -3 });
    }
  });

  it('after an error the next message starts a new stream on both paths', async () => {
    const [fresh] = await peerMessages(['fresh start']);
    const { sync, async } = await bothPaths([{ pieces: [Uint8Array.of(0xff, 0xff, 0xff, 0x01), TRAILER] }, { pieces: [fresh!, TRAILER] }]);
    expect(sync[1]).toBe('fresh start');
    expect(async).toEqual(sync);
  });

  it('output past maxBytes: undefined from both, exactly maxBytes is fine', async () => {
    const [message] = await peerMessages(['y'.repeat(3000)]);
    const { sync, async } = await bothPaths([
      { pieces: [message!, TRAILER], maxBytes: 2999 },
      { pieces: [message!, TRAILER], maxBytes: 3000 },
    ]);
    expect(sync[0]).toBe('over the limit');
    // After a message over the limit the stream is gone: the next one is a new stream, as the
    // extension resets it (and this message, from a fresh peer stream, needs no history).
    expect(sync[1]).toBe('y'.repeat(3000));
    expect(async).toEqual(sync);
  });
});
