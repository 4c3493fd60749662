/**
 * The zlib concurrency limit (ws's `concurrencyLimit`, default 10): a process-wide queue that
 * runs at most N operations at once, in arrival order, and frees a slot whether the
 * operation succeeds or fails.
 */
import { describe, expect, it } from 'vitest';
import { Limiter, sharedLimiter } from '../src/permessage-deflate/index.js';
import { createNodePerMessageDeflate } from '../src/permessage-deflate/index.js';
import { negotiate, pair, settle } from './permessage-deflate-helpers.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('runs at most `concurrency` jobs at once, starting them in arrival order', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          running++;
          peak = Math.max(peak, running);
          for (let k = 0; k < (i % 4) + 1; k++) await tick();
          running--;
          return i * 2;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(limiter.waiting).toBe(0);
  });

  it('a failing job frees its slot and its caller sees the error', async () => {
    const limiter = new Limiter(1);
    const failing = limiter.run(() => Promise.reject(new Error('boom')));
    const next = limiter.run(() => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('the shared limiter is one per process: the first concurrency given wins (as in ws)', () => {
    const first = sharedLimiter(10);
    expect(sharedLimiter(2)).toBe(first);
    expect(first.concurrency).toBe(10);
  });
});

describe('zlib work goes through the shared limiter', () => {
  // Messages over the synchronous bound (16 KiB): smaller ones never reach the thread pool
  // (permessage-deflate-sync-path.test.ts).
  it('300 connections compressing 22 KB at once never run more than 10 zlib operations together', async () => {
    const limiter = sharedLimiter(10);
    let peak = 0;
    const run = limiter.run.bind(limiter);
    let running = 0;
    limiter.run = <T>(job: () => Promise<T>) =>
      run(() => {
        running++;
        peak = Math.max(peak, running);
        return job().finally(() => running--);
      });
    try {
      const pairs = Array.from({ length: 300 }, () => {
        const extensions = negotiate(
          createNodePerMessageDeflate({ threshold: 0 }, { role: 'client', maxPayload: 0 }),
          createNodePerMessageDeflate({ threshold: 0 }, { role: 'server', maxPayload: 0 }),
        );
        return pair(extensions);
      });
      for (const { client } of pairs) client.conn.send('some text to compress '.repeat(1000));
      await Promise.all(pairs.map(({ client, server, signal }) => settle(signal, client, server)));
      expect(pairs.every(({ server }) => server.messages().length === 1)).toBe(true);
      expect(peak).toBe(10);
    } finally {
      limiter.run = run;
    }
  });
});
