/**
 * The synchronous path of the node:zlib codec (zlib-sync.ts): messages up to 16 KiB are
 * compressed and inflated by synchronous calls on the connection's zlib streams, never as a
 * thread-pool job (counted: no Limiter run), bigger ones keep the asynchronous path, and
 * mixing them keeps order and context takeover both ways. Inflating stays bounded by maxPayload
 * on the synchronous path, and hands a high-ratio frame over to the thread pool after 64 KiB.
 * Over real sockets against the real `ws` client, plus byte-level checks on in-memory pairs.
 */
import { once } from 'node:events';
import { InflateRaw, constants, deflateRawSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import RealWebSocket, { WebSocketServer as RealWebSocketServer } from 'ws';
import { WebSocketServer } from '../src/index.js';
import { createNodePerMessageDeflate, sharedLimiter } from '../src/permessage-deflate/index.js';
import { SyncZlib, syncZlibSupported } from '../src/permessage-deflate/zlib-sync.js';
import { closeServer, portOf, rawRequest, upgradeRequest } from './helpers.js';
import { negotiate, pair, settle } from './permessage-deflate-helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Text that compresses about 3:1 on its own (words from a seeded generator), `length` bytes. */
function wordsText(length: number, seed: number): string {
  const words = ['socket', 'frame', 'deflate', 'window', 'message', 'buffer', 'context', 'stream', 'flush', 'inflate', 'limit'];
  let state = seed;
  let text = '';
  while (text.length < length) {
    state = (state * 1103515245 + 12345) >>> 0;
    text += `${words[state % words.length]}${(state >>> 8) % 1000} `;
  }
  return text.slice(0, length);
}

/** Base64 of seeded pseudo-random bytes, `length` characters: compresses only to about 3:4. */
function noisyText(length: number, seed: number): string {
  const bytes = Buffer.alloc(Math.ceil((length * 3) / 4));
  let state = seed;
  for (let i = 0; i < bytes.length; i++) {
    // xorshift32: no short cycles in the bytes (they would compress)
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes.toString('base64').slice(0, length);
}

const compressedSize = (text: string): number => deflateRawSync(text, { finishFlush: constants.Z_SYNC_FLUSH }).length;

const json = (i: number): string => JSON.stringify({ id: i, user: `user${i % 37}`, text: wordsText(900, i + 1) });

/** Counts the shared Limiter's jobs (every thread-pool zlib operation of our codec goes through it). */
function countLimiterRuns(): { runs: number; stop(): void } {
  const limiter = sharedLimiter(10);
  const run = limiter.run;
  const counter = { runs: 0, stop: () => void (limiter.run = run) };
  limiter.run = function <T>(this: typeof limiter, job: () => Promise<T>): Promise<T> {
    counter.runs++;
    return run.call(this, job) as Promise<T>;
  };
  return counter;
}

/** Counts synchronous zlib calls of our codec and the bytes they produced. */
function countSyncCalls(): { calls: number; bytes: number; stop(): void } {
  const proto = SyncZlib.prototype;
  const write = proto.write;
  const counter = { calls: 0, bytes: 0, stop: () => void (proto.write = write) };
  proto.write = function (this: SyncZlib, input, offset, length, output) {
    write.call(this, input, offset, length, output);
    counter.calls++;
    counter.bytes += output.length - this.availOut;
  };
  return counter;
}

/** Counts what every asynchronous zlib inflate stream in the process emits. */
function countAsyncInflated(): { bytes: number; stop(): void } {
  const proto = InflateRaw.prototype as unknown as { push: (chunk: Buffer | null) => boolean };
  const push = proto.push;
  const counter = { bytes: 0, stop: () => void delete (proto as { push?: unknown }).push };
  proto.push = function (this: unknown, chunk: Buffer | null) {
    if (chunk !== null) counter.bytes += chunk.length;
    return push.call(this, chunk);
  };
  return counter;
}

// The once-per-process check of the synchronous calls runs first, so it is not counted below.
beforeAll(() => {
  expect(syncZlibSupported()).toBe(true);
});

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Our server (permessage-deflate, threshold 0: every message compressed), echoing unless told not to. */
async function server(options: { maxPayload?: number; echo?: boolean } = {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 }, maxPayload: options.maxPayload });
  await once(wss, 'listening');
  cleanup.push(() => closeServer(wss));
  const received: Buffer[] = [];
  const errors: Array<Error & { code?: string }> = [];
  wss.on('connection', (ws) => {
    ws.on('error', (error) => errors.push(error));
    ws.on('message', (data, isBinary) => {
      received.push(data as Buffer);
      if (options.echo !== false) ws.send(data, { binary: isBinary });
    });
  });
  return { url: `ws://127.0.0.1:${portOf(wss)}`, received, errors };
}

async function client(url: string): Promise<RealWebSocket> {
  const ws = new RealWebSocket(url, { perMessageDeflate: { threshold: 0 } });
  cleanup.push(() => ws.terminate());
  ws.on('error', () => {});
  await once(ws, 'open');
  return ws;
}

/** Sends every message at once and waits for as many echoes. */
async function echoAll(ws: RealWebSocket, messages: string[]): Promise<string[]> {
  const echoes: string[] = [];
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      echoes.push(String(data));
      if (echoes.length === messages.length) resolve();
    });
  });
  for (const message of messages) ws.send(message);
  await done;
  return echoes;
}

describe('small messages take the synchronous path', () => {
  it('200 JSON messages of 1 KiB echoed with the ws client: no thread-pool job on our side, only synchronous zlib calls', async () => {
    const { url } = await server();
    const ws = await client(url);
    const limiter = countLimiterRuns();
    const sync = countSyncCalls();
    cleanup.push(limiter.stop, sync.stop);
    const messages = Array.from({ length: 200 }, (_, i) => json(i));
    expect(await echoAll(ws, messages)).toEqual(messages);
    expect(limiter.runs).toBe(0);
    // Per message: inflate (the frame, then the 00 00 FF FF trailer) and deflate, each output
    // fitting one 16 KiB chunk.
    expect(sync.calls).toBe(3 * 200);
  });

  it('small, big, small interleaved (ws client): echoed in order; only the big ones (over 16 KiB) use the thread pool', async () => {
    const { url } = await server();
    const ws = await client(url);
    const limiter = countLimiterRuns();
    cleanup.push(limiter.stop);
    const messages = Array.from({ length: 60 }, (_, i) => (i % 3 === 1 ? noisyText(40 * KiB, i) : json(i)));
    // Big both ways: over 16 KiB to compress, and over 16 KiB compressed to inflate.
    expect(Math.min(...messages.filter((_, i) => i % 3 === 1).map(compressedSize))).toBeGreaterThan(16 * KiB);
    expect(await echoAll(ws, messages)).toEqual(messages);
    // Each big message: one inflate and one deflate on the thread pool.
    expect(limiter.runs).toBe(2 * 20);
  });
});

describe('context takeover across synchronous and asynchronous messages (bytes on the wire)', () => {
  it('a small message made of a big one, after it, compresses to a back-reference; so does the big one again', async () => {
    const extensions = negotiate(
      createNodePerMessageDeflate({ threshold: 0 }, { role: 'client', maxPayload: 0 }),
      createNodePerMessageDeflate({ threshold: 0 }, { role: 'server', maxPayload: 0 }),
    );
    const { client, server, signal } = pair(extensions);
    const limiter = countLimiterRuns();
    cleanup.push(limiter.stop);
    const small = json(1);
    // Over the synchronous bound both ways (about 18 KiB compressed), inside the 32 KiB window.
    const big = noisyText(24 * KiB, 7);
    expect(compressedSize(big)).toBeGreaterThan(16 * KiB);
    const sliceOfBig = big.slice(5000, 6000);
    // small (sync), big (async), a piece of big (sync: must see the async one's history),
    // big again (async: must see both).
    for (const message of [small, big, sliceOfBig, big]) client.conn.send(message);
    await settle(signal, client, server);
    expect(server.messages().map((m) => new TextDecoder().decode(m.data))).toEqual([small, big, sliceOfBig, big]);
    const sizes = client.written.map((frame) => frame.length);
    expect(sizes).toHaveLength(4);
    // Without context these take about 3/4 of their size; with it, matches of up to 258 bytes.
    expect(sizes[1]).toBeGreaterThan(16 * KiB);
    expect(sizes[2]).toBeLessThan(30);
    expect(sizes[3]).toBeLessThan(1 * KiB);
    // On the thread pool: the client compressed both big ones, the server inflated the first
    // (the second, a few hundred bytes of back-references, inflates synchronously).
    expect(limiter.runs).toBe(3);
  });
});

describe('inflating stays bounded on the synchronous path', () => {
  /** What our server and the ws client saw when the client sends `message`. */
  async function sendToLimitedServer(message: Buffer, maxPayload: number) {
    const { url, received, errors } = await server({ maxPayload, echo: false });
    const ws = await client(url);
    const closed = once(ws, 'close') as Promise<[number, Buffer]>;
    ws.send(message);
    return { closed, received, errors, ws };
  }

  it('1 MiB of zeros (a 1 KiB frame) against maxPayload 50,000: 1009, inflation stopped at the limit plus one chunk, no thread-pool job', async () => {
    const limiter = countLimiterRuns();
    const sync = countSyncCalls();
    cleanup.push(limiter.stop, sync.stop);
    const { closed, received, errors } = await sendToLimitedServer(Buffer.alloc(MiB), 50_000);
    const [code] = await closed;
    expect(code).toBe(1009);
    expect(received).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']);
    expect(limiter.runs).toBe(0);
    expect(sync.bytes).toBeGreaterThan(50_000);
    expect(sync.bytes).toBeLessThanOrEqual(50_000 + 16 * KiB);
  });

  it('12 MiB of zeros in a frame under 16 KiB against maxPayload 10 MB: 64 KiB inflated synchronously, the rest on the thread pool, stopped at the limit', async () => {
    const zeros = Buffer.alloc(12 * MiB);
    // The frame ws sends is within the synchronous bound (zlib's default level, as ws uses).
    expect(deflateRawSync(zeros, { finishFlush: constants.Z_SYNC_FLUSH }).length).toBeLessThan(16 * KiB);
    const limiter = countLimiterRuns();
    const sync = countSyncCalls();
    const inflated = countAsyncInflated();
    cleanup.push(limiter.stop, sync.stop, inflated.stop);
    const { closed, received, errors } = await sendToLimitedServer(zeros, 10_000_000);
    const [code] = await closed;
    expect(code).toBe(1009);
    expect(received).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']);
    expect(sync.bytes).toBe(64 * KiB);
    expect(limiter.runs).toBe(1);
    // Everything inflated (both paths): past the limit by at most one chunk.
    expect(sync.bytes + inflated.bytes).toBeGreaterThan(10_000_000);
    expect(sync.bytes + inflated.bytes).toBeLessThanOrEqual(10_000_000 + 16 * KiB);
  });

  it('8 MiB of zeros under the default maxPayload arrives whole across the handover', async () => {
    const limiter = countLimiterRuns();
    cleanup.push(limiter.stop);
    const { url, received } = await server({ echo: false });
    const ws = await client(url);
    ws.send(Buffer.alloc(8 * MiB));
    ws.send('after it');
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
    expect(received[0]!.length).toBe(8 * MiB);
    expect(received[0]!.every((byte) => byte === 0)).toBe(true);
    expect(String(received[1])).toBe('after it');
    expect(limiter.runs).toBe(1);
  });
});

describe('corrupt compressed data on the synchronous path: what ws users see', () => {
  /** The first close frame's code in what a server wrote (unmasked frames), once it has come. */
  async function closeCodeFrom(socket: import('node:net').Socket, rest: Buffer): Promise<number> {
    let buffered = rest;
    for (;;) {
      for (let at = 0; at + 2 <= buffered.length; ) {
        const length = buffered[at + 1]! & 0x7f; // short frames only here: close, or a tiny message
        if ((buffered[at]! & 0x0f) === 0x8 && at + 4 <= buffered.length) return buffered.readUInt16BE(at + 2);
        at += 2 + length;
      }
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      buffered = Buffer.concat([buffered, chunk]);
    }
  }

  /** Sends a masked, compressed frame of bytes that do not inflate; what the server's WebSocket reports. */
  async function corruptFrameTo(lib: 'ws' | 'ours'): Promise<{ error: Record<string, unknown>; closeCode: number }> {
    const options = { port: 0, host: '127.0.0.1', perMessageDeflate: true } as const;
    const wss = lib === 'ws' ? new RealWebSocketServer(options) : new WebSocketServer(options);
    cleanup.push(() => closeServer(wss as never));
    await once(wss, 'listening');
    const failed = new Promise<Error & Record<string, unknown>>((resolve) => {
      wss.on('connection', (ws: RealWebSocket) => ws.on('error', resolve));
    });
    const { socket, head, rest } = await rawRequest(portOf(wss as never), upgradeRequest('/', { 'Sec-WebSocket-Extensions': 'permessage-deflate' }));
    cleanup.push(() => socket.destroy());
    expect(head).toMatch(/^HTTP\/1\.1 101/);
    // RSV1 + binary, masked with a zero key: 4 bytes that are not DEFLATE (ws's own test's payload).
    socket.write(Buffer.from([0xc2, 0x84, 0, 0, 0, 0, 0x22, 0xfa, 0xec, 0x78]));
    const [error, closeCode] = await Promise.all([failed, closeCodeFrom(socket, rest)]);
    return { error: { class: error.constructor.name, message: error.message, code: error.code, errno: error.errno }, closeCode };
  }

  it("the server's 'error' is zlib's own (Z_DATA_ERROR, errno -3, its message) and the close code 1007, as from ws's server", async () => {
    const limiter = countLimiterRuns();
    const sync = countSyncCalls();
    cleanup.push(limiter.stop, sync.stop);
    const ours = await corruptFrameTo('ours');
    expect(limiter.runs).toBe(0);
    expect(sync.calls).toBe(0); // the failing call threw before it was counted
    const theirs = await corruptFrameTo('ws');
    expect(theirs).toEqual({ error: { class: 'Error', message: 'invalid distance too far back', code: 'Z_DATA_ERROR', errno: -3 }, closeCode: 1007 });
    expect(ours).toEqual(theirs);
  });
});
