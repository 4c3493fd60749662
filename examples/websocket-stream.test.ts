import { afterEach, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript example, no types
import { ask, start } from './websocket-stream.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('websocket-stream: the server answers each line reversed through streams, and the client closes cleanly', async () => {
  app = await start();
  const result: { answers: string[]; closeCode: number } = await ask(app!.url, ['stressed', 'drawer', 'héllo']);
  expect(result).toEqual({ answers: ['desserts', 'reward', 'olléh'], closeCode: 1000 });
});
