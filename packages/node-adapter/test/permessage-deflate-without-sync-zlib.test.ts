/**
 * Where a runtime's zlib streams have no synchronous handle call (`_handle.writeSync`, not
 * public API), the codec finds out once and keeps the thread-pool path for every message:
 * permessage-deflate still works, over a real socket with the `ws` client.
 */
import { once } from 'node:events';
import type * as Zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RealWebSocket from 'ws';
import { WebSocketServer } from '../src/index.js';
import { sharedLimiter } from '../src/permessage-deflate/index.js';
import { syncZlibSupported } from '../src/permessage-deflate/zlib-sync.js';
import { closeServer, portOf } from './helpers.js';

// Streams whose handle lacks the synchronous call, as on a runtime without it.
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof Zlib>();
  const withoutSync = <T>(stream: T): T => {
    const handle = (stream as { _handle?: { writeSync?: unknown } })._handle;
    if (handle) handle.writeSync = undefined;
    return stream;
  };
  return {
    ...zlib,
    createDeflateRaw: (options?: Zlib.ZlibOptions) => withoutSync(zlib.createDeflateRaw(options)),
    createInflateRaw: (options?: Zlib.ZlibOptions) => withoutSync(zlib.createInflateRaw(options)),
  };
});

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('no synchronous zlib calls in this runtime', () => {
  it('detected once; every message then goes through the thread pool, and echoes arrive intact', async () => {
    expect(syncZlibSupported()).toBe(false);
    const limiter = sharedLimiter(10);
    const run = limiter.run;
    let runs = 0;
    limiter.run = function <T>(this: typeof limiter, job: () => Promise<T>): Promise<T> {
      runs++;
      return run.call(this, job) as Promise<T>;
    };
    cleanup.push(() => void (limiter.run = run));
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
    await once(wss, 'listening');
    cleanup.push(() => closeServer(wss));
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    const ws = new RealWebSocket(`ws://127.0.0.1:${portOf(wss)}`, { perMessageDeflate: { threshold: 0 } });
    cleanup.push(() => ws.terminate());
    await once(ws, 'open');
    const messages = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, text: 'small message '.repeat(20) }));
    const echoes: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        echoes.push(String(data));
        if (echoes.length === messages.length) resolve();
      }),
    );
    for (const message of messages) ws.send(message);
    await done;
    expect(echoes).toEqual(messages);
    expect(runs).toBe(2 * messages.length); // inflate and deflate of each, on the thread pool
  });
});
