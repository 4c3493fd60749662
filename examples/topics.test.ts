import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './topics.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

/** A client that collects what it hears; `command` waits for the server's answer. */
async function client(url: string) {
  const ws = new WebSocket(url);
  const heard: string[] = [];
  ws.on('message', (data) => heard.push(String(data)));
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const command = async (text: string, answer: string) => {
    ws.send(text);
    await expect.poll(() => heard.includes(answer)).toBe(true);
    heard.splice(heard.indexOf(answer), 1);
  };
  return { ws, heard, command };
}

it('the node adapter README shows this example as it is', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'packages', 'node-adapter', 'README.md'), 'utf8');
  const example = readFileSync(join(import.meta.dirname, 'topics.mjs'), 'utf8');
  expect(readme).toContain(example.slice(example.indexOf('export async function start'), example.indexOf('\nif (import.meta.url')).trim());
});

it('topics: a message reaches the members of the sender\'s topics, and only while they are members', async () => {
  app = await start();
  const [alice, bob, carol] = [await client(app!.url), await client(app!.url), await client(app!.url)];
  await alice.command('/join chess', 'joined chess');
  await alice.command('/join go', 'joined go');
  await bob.command('/join chess', 'joined chess');
  await carol.command('/join go', 'joined go');
  alice.ws.send('hi');
  await expect.poll(() => bob.heard).toEqual(['hi']);
  await expect.poll(() => carol.heard).toEqual(['hi']);
  await expect.poll(() => alice.heard).toEqual(['hi', 'hi']); // a member of both topics
  await bob.command('/leave chess', 'left chess');
  // A long message: compressed once for the room (the clients negotiated permessage-deflate).
  const long = 'e4 e5 '.repeat(400);
  alice.ws.send(long);
  await expect.poll(() => carol.heard).toEqual(['hi', long]);
  expect(bob.heard).toEqual(['hi']);
  for (const { ws } of [alice, bob, carol]) ws.close();
});
