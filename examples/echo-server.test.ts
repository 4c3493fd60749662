import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './echo-server.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('echo-server: echoes text and binary back to the sender', async () => {
  app = await start();
  const ws = new WebSocket(app!.url);
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const replies: Array<[string, boolean]> = [];
  const done = new Promise<void>((resolve) =>
    ws.on('message', (data, isBinary) => {
      replies.push([String(data), isBinary]);
      if (replies.length === 2) resolve();
    }),
  );
  ws.send('hello');
  ws.send(Buffer.from('bytes'));
  await done;
  expect(replies).toEqual([
    ['hello', false],
    ['bytes', true],
  ]);
  ws.close();
  await new Promise<void>((resolve) => ws.once('close', () => resolve()));
});
