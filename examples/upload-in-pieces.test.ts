import { createHash, randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript example, no types
import { start, upload } from './upload-in-pieces.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('upload-in-pieces: 8 MiB sent in 64 KiB frames, hashed by the server piece by piece', async () => {
  app = await start();
  const data = randomBytes(8 * 1024 * 1024);
  const receipt = await upload(app!.url, data);
  expect(receipt.size).toBe(data.length);
  expect(receipt.sha256).toBe(createHash('sha256').update(data).digest('hex'));
  // At least one piece per 64 KiB frame (a frame may arrive in several reads, so more).
  expect(receipt.pieces).toBeGreaterThanOrEqual(128);
});
