import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './broadcast.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

const open = async (url: string) => {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  return ws;
};

it('broadcast: a message reaches every other client, not the sender', async () => {
  app = await start();
  const [alice, bob, carol] = await Promise.all([open(app!.url), open(app!.url), open(app!.url)]);
  const heard: string[] = [];
  alice!.on('message', (data) => heard.push(`alice:${data}`));
  const bobHears = new Promise<string>((resolve) => bob!.once('message', (data) => resolve(String(data))));
  const carolHears = new Promise<string>((resolve) => carol!.once('message', (data) => resolve(String(data))));
  alice!.send('hi all');
  expect(await bobHears).toBe('hi all');
  expect(await carolHears).toBe('hi all');
  expect(heard).toEqual([]);
});
