import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './send-backpressure.mjs';

let app: { url: string; downloads: Promise<number>[]; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('send-backpressure: a slow client gets the whole download and the server waited for drain', async () => {
  const total = 64 * 1024 * 1024;
  app = await start({ total });
  const ws = new WebSocket(app!.url);
  let received = 0;
  ws.on('message', (data: Buffer) => {
    received += data.length;
    // A slow reader: one message per turn of the event loop.
    ws.pause();
    setImmediate(() => ws.resume());
  });
  const [code] = await new Promise<[number]>((resolve) => ws.on('close', (closeCode: number) => resolve([closeCode])));
  expect(received).toBe(total);
  expect(code).toBe(1000);
  expect(await app!.downloads[0]).toBeGreaterThan(0);
});
