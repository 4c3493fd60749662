import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { type BusServer, findBusServer, freePort, startBusServer } from '../packages/pubsub/test/bus-servers.js';
import { describeWithPeer } from '../packages/node-adapter/test/peers/peer-suite.js';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './pubsub-rooms.mjs';

type App = { url: string; close: () => Promise<void> };
const apps: App[] = [];
let redis: BusServer | undefined;
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await redis?.stop();
  redis = undefined;
});

async function join_(url: string) {
  const ws = new WebSocket(url);
  const received: string[] = [];
  ws.on('message', (data) => received.push(String(data)));
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  return { ws, received };
}

it('the README shows this example as it is', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const example = readFileSync(join(import.meta.dirname, 'pubsub-rooms.mjs'), 'utf8');
  const body = example.slice(example.indexOf('export async function start'), example.indexOf('\nif (import.meta.url'));
  expect(readme).toContain(body.trim());
});

it('one process: a message reaches everyone in its room, and only them', async () => {
  const app: App = await start();
  apps.push(app);
  const [a, b, c] = [await join_(`${app.url}/chess`), await join_(`${app.url}/chess`), await join_(`${app.url}/go`)];
  a.ws.send('e4');
  await expect.poll(() => b.received).toEqual(['e4']);
  expect(a.received).toEqual(['e4']);
  c.ws.send('tengen');
  await expect.poll(() => c.received).toEqual(['tengen']);
  expect(b.received).toEqual(['e4']);
});

describeWithPeer('redis-server', findBusServer('redis'), 'the rooms example over Redis', ({ binary }) => {
  it('two processes share rooms through Redis, each message once', async () => {
    redis = await startBusServer('redis', binary, await freePort());
    const one: App = await start({ redisPort: redis.port });
    const two: App = await start({ redisPort: redis.port });
    apps.push(one, two);
    const [a, b] = [await join_(`${one.url}/chess`), await join_(`${two.url}/chess`)];
    a.ws.send('e4');
    b.ws.send('e5');
    for (const peer of [a, b]) {
      await expect.poll(() => [...peer.received].sort()).toEqual(['e4', 'e5']);
    }
  });
});
