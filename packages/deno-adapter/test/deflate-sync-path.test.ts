/**
 * permessage-deflate on Deno's node:zlib: its streams have the synchronous handle call the
 * zlib codec uses for messages up to 16 KiB (packages/node-adapter/src/permessage-deflate/
 * zlib-sync.ts), so small messages never wait for the thread pool (no Limiter job: counted),
 * bigger ones still do, and the two mixed keep order and context takeover. Our client against
 * our server.
 */
import { assert, assertEquals } from './assert.ts';
import { serve } from '../src/index.ts';
import { sharedLimiter } from '../../node-adapter/src/permessage-deflate/limiter.ts';
import { syncZlibSupported } from '../../node-adapter/src/permessage-deflate/zlib-sync.ts';
import { next, openClient } from './helpers.ts';

/** JSON-like text of about 1 KiB, different per message. */
const small = (i: number): string => JSON.stringify({ id: i, text: `message ${i} `.repeat(80) });

Deno.test('small messages inflate and compress synchronously under Deno; big ones on the thread pool, in order', async () => {
  assert(syncZlibSupported(), "Deno's node:zlib streams should have the synchronous call");
  const limiter = sharedLimiter(10);
  const run = limiter.run;
  let runs = 0;
  limiter.run = function <T>(this: typeof limiter, job: () => Promise<T>): Promise<T> {
    runs++;
    return run.call(this, job) as Promise<T>;
  };
  const server = serve({ hostname: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } }, (ws) => {
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (event) => ws.send(event.data);
  });
  try {
    const ws = await openClient(`ws://127.0.0.1:${server.addr.port}/`, { perMessageDeflate: { threshold: 0 } });
    ws.binaryType = 'arraybuffer';
    assert(ws.extensions.startsWith('permessage-deflate'), ws.extensions);
    // Random bytes do not compress: 40 KiB is over the bound both ways.
    const big = crypto.getRandomValues(new Uint8Array(40 * 1024));
    const sent: Array<string | Uint8Array> = [];
    for (let i = 0; i < 30; i++) sent.push(i % 3 === 1 ? big : small(i));
    const echoes: unknown[] = [];
    const done = Promise.withResolvers<void>();
    ws.onmessage = (event) => {
      echoes.push(event.data);
      if (echoes.length === sent.length) done.resolve();
    };
    for (const message of sent) ws.send(message);
    await done.promise;
    for (let i = 0; i < sent.length; i++) {
      const expected = sent[i]!;
      if (typeof expected === 'string') assertEquals(echoes[i], expected);
      else assertEquals(new Uint8Array(echoes[i] as ArrayBuffer), expected);
    }
    // Per big message, four thread-pool jobs: our client compresses, the server inflates,
    // compresses the echo, our client inflates it. None for the small ones.
    assertEquals(runs, 4 * 10);
    const closed = next(ws, 'close');
    ws.close(1000);
    await closed;
  } finally {
    limiter.run = run;
    await server.close();
  }
});
