import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { type BusServer, findBusServer, freePort, startBusServer } from '../packages/pubsub/test/bus-servers.js';
import { describeWithPeer } from '../packages/node-adapter/test/peers/peer-suite.js';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './presence.mjs';

type App = { url: string; close: () => Promise<void> };
const apps: App[] = [];
const sockets: WebSocket[] = [];
let redis: BusServer | undefined;
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const app of apps.splice(0)) await app.close();
  await redis?.stop();
  redis = undefined;
});

/** Connects as `name` and collects the presence news it is sent. */
async function enter(url: string, name: string) {
  const ws = new WebSocket(`${url}/chess?name=${name}`);
  sockets.push(ws);
  const news: unknown[] = [];
  ws.on('message', (data) => news.push(JSON.parse(String(data))));
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  return { ws, news };
}

it('the pubsub README shows this example as it is', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'packages', 'pubsub', 'README.md'), 'utf8');
  const example = readFileSync(join(import.meta.dirname, 'presence.mjs'), 'utf8');
  expect(readme).toContain(example.slice(example.indexOf('export async function start'), example.indexOf('\nif (import.meta.url')).trim());
});

it('one process: a newcomer is told who is there, the others hear it join and leave', async () => {
  const app: App = await start();
  apps.push(app);
  const alice = await enter(app.url, 'alice');
  await expect.poll(() => alice.news).toEqual([{ members: [] }, { join: 'alice' }]);
  const bob = await enter(app.url, 'bob');
  await expect.poll(() => bob.news).toEqual([{ members: ['alice'] }, { join: 'bob' }]);
  bob.ws.close();
  await expect.poll(() => alice.news).toEqual([{ members: [] }, { join: 'alice' }, { join: 'bob' }, { leave: 'bob' }]);
});

describeWithPeer('redis-server', findBusServer('redis'), 'the presence example over Redis', ({ binary }) => {
  it('two processes share presence through Redis; a process that closes takes its members with it', async () => {
    redis = await startBusServer('redis', binary, await freePort());
    const one: App = await start({ redisPort: redis.port });
    const two: App = await start({ redisPort: redis.port });
    apps.push(one, two);
    const alice = await enter(one.url, 'alice');
    await expect.poll(() => alice.news).toContainEqual({ join: 'alice' });
    const bob = await enter(two.url, 'bob');
    await expect.poll(() => alice.news).toContainEqual({ join: 'bob' });
    // bob was told about alice (on the other process) when he arrived, or heard her state soon after.
    await expect.poll(() => bob.news.some((n) => JSON.stringify(n) === '{"members":["alice"]}' || JSON.stringify(n) === '{"join":"alice"}')).toBe(true);
    await apps.splice(1, 1)[0]!.close();
    await expect.poll(() => alice.news).toContainEqual({ leave: 'bob' });
  });
});
