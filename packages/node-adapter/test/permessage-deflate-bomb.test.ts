/**
 * Decompression bombs: inflated output is bounded by maxPayload while inflating (1009), so a
 * small compressed message that would inflate to 1 GiB costs at most maxPayload plus a chunk.
 */
import { InflateRaw, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Extension, ProtocolError } from '@sansock/core';
import { encodeFrame } from '@sansock/core/frames';
import { createNodePerMessageDeflate } from '../src/permessage-deflate/index.js';
import { End, Signal, closeCodeSent, settle } from './permessage-deflate-helpers.js';

const MiB = 1024 * 1024;

/**
 * `count` MiB of zeros as raw DEFLATE without the final trailer. Each segment is a
 * sync-flushed stream of 1 MiB of zeros: byte-aligned, non-final blocks, so segments chain
 * into one valid stream (distances stay inside zeros).
 */
function zerosBomb(mebibytes: number): Uint8Array {
  const segment = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const parts = Array.from({ length: mebibytes }, () => segment);
  const stream = Buffer.concat(parts);
  return stream.subarray(0, stream.length - 4); // §7.2.1: the trailer is not sent
}

/** Counts the bytes every zlib InflateRaw stream emits until stop() (each output chunk goes through push). */
function countInflatedBytes(): { bytes: number; stop: () => void } {
  const counter = { bytes: 0, stop: () => {} };
  const proto = InflateRaw.prototype as unknown as { push: (chunk: Buffer | null) => boolean };
  const original = proto.push;
  proto.push = function (this: unknown, chunk: Buffer | null) {
    if (chunk !== null) counter.bytes += chunk.length;
    return original.call(this, chunk);
  };
  counter.stop = () => {
    delete (proto as { push?: unknown }).push; // back to the inherited Readable.prototype.push
  };
  return counter;
}

function clientExtension(maxPayload: number): Extension {
  const factory = createNodePerMessageDeflate({}, { role: 'client', maxPayload });
  factory.offers();
  const extension = factory.confirm({ name: 'permessage-deflate', params: [] });
  if (typeof extension === 'string') throw new Error(extension);
  return extension;
}

/** A server frame (unmasked) as bytes. */
const serverFrame = (opcode: number, payload: Uint8Array, fin: boolean, rsv: number): Uint8Array =>
  Buffer.concat(encodeFrame(opcode, payload, { fin, rsv, maskKey: undefined }));

async function receive(frames: Uint8Array[], options: { maxPayload: number; extensionMaxPayload?: number }): Promise<End> {
  const signal = new Signal();
  const end = new End({ role: 'client', maxPayload: options.maxPayload, extensions: [clientExtension(options.extensionMaxPayload ?? options.maxPayload)] }, signal);
  for (const frame of frames) end.conn.receiveData(frame);
  await settle(signal, end);
  return end;
}

const errorOf = (end: End) => {
  const event = end.events.find((e) => e.type === 'error');
  return event?.type === 'error' ? { code: event.error.code, closeCode: (event.error as ProtocolError).closeCode } : undefined;
};

describe('permessage-deflate bombs (node:zlib codec)', () => {
  it('the bomb is what it claims: ~1 KiB per inflated MiB (1 GiB in ~1 MiB), valid DEFLATE of zeros', () => {
    const bomb = zerosBomb(1024);
    expect(bomb.length).toBeLessThan(1.1 * MiB);
    // Check a 16 MiB prefix of it (whole segments) really inflates to zeros.
    const prefix = zerosBomb(16);
    const inflated = inflateRawSync(Buffer.concat([prefix, Buffer.from([0, 0, 0xff, 0xff])]), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(inflated.length).toBe(16 * MiB);
    expect(inflated.every((b) => b === 0)).toBe(true);
  });

  it('1 GiB of zeros in one frame against a 10 MB maxPayload: 1009, and memory stays bounded', async () => {
    const frame = serverFrame(0x2, zerosBomb(1024), true, 0x40);
    const rssBefore = process.memoryUsage().rss;
    const inflated = countInflatedBytes();
    let end: End;
    try {
      end = await receive([frame], { maxPayload: 10 * 1000 * 1000 });
    } finally {
      inflated.stop();
    }
    const grew = process.memoryUsage().rss - rssBefore;
    expect(errorOf(end)).toEqual({ code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 });
    expect(end.messages()).toEqual([]);
    expect(grew).toBeLessThan(200 * MiB);
    // Inflating stopped early: zlib produced about maxPayload, not the 1 GiB the bomb holds
    // (counted in bytes, not timed, so a busy machine cannot fail it).
    expect(inflated.bytes).toBeGreaterThan(10 * 1000 * 1000);
    expect(inflated.bytes).toBeLessThan(20 * MiB);
    expect(closeCodeSent(end)).toBe(1009);
  });

  it('the limit applies to the whole message across fragments: 3 frames of 4 MiB each, 10 MB limit', async () => {
    const piece = zerosBomb(4);
    // Each non-final frame must end on a block boundary: a sync-flushed segment does.
    const withFlush = Buffer.concat([piece, Buffer.from([0, 0, 0xff, 0xff])]);
    const frames = [serverFrame(0x2, withFlush, false, 0x40), serverFrame(0x0, withFlush, false, 0), serverFrame(0x0, piece, true, 0)];
    const end = await receive(frames, { maxPayload: 10 * 1000 * 1000 });
    expect(errorOf(end)).toEqual({ code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 });
  });

  it('the same fragments under a 16 MiB limit arrive whole', async () => {
    const piece = zerosBomb(4);
    const withFlush = Buffer.concat([piece, Buffer.from([0, 0, 0xff, 0xff])]);
    const frames = [serverFrame(0x2, withFlush, false, 0x40), serverFrame(0x0, withFlush, false, 0), serverFrame(0x0, piece, true, 0)];
    const end = await receive(frames, { maxPayload: 16 * MiB });
    expect(errorOf(end)).toBeUndefined();
    const [message] = end.messages();
    expect(message?.data.length).toBe(12 * MiB);
  });

  it("the extension's own maxPayload caps inflation even when the connection has no limit", async () => {
    const end = await receive([serverFrame(0x2, zerosBomb(64), true, 0x40)], { maxPayload: 0, extensionMaxPayload: MiB });
    expect(errorOf(end)).toEqual({ code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', closeCode: 1009 });
  });

  it('exactly maxPayload inflated bytes is allowed, one more is not', async () => {
    const data = Buffer.alloc(1000, 7);
    const compressed = deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
    const payload = compressed.subarray(0, compressed.length - 4);
    const ok = await receive([serverFrame(0x2, payload, true, 0x40)], { maxPayload: 1000 });
    expect(ok.messages().map((m) => m.data.length)).toEqual([1000]);
    const tooBig = await receive([serverFrame(0x2, payload, true, 0x40)], { maxPayload: 999 });
    expect(errorOf(tooBig)?.closeCode).toBe(1009);
  });
});
