import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { type BusServer, findBusServer, freePort, startBusServer } from '../../packages/pubsub/test/bus-servers.js';
import { describeWithPeer } from '../../packages/node-adapter/test/peers/peer-suite.js';

/**
 * The cluster example as a user runs it: `node server.mjs` (a primary and two workers on one
 * port) against a real redis-server; clients land on different workers and still hear each
 * other, each message exactly once.
 */
describeWithPeer('redis-server', findBusServer('redis'), 'examples/cluster-redis', ({ binary }) => {
  let redis: BusServer;
  let primary: ReturnType<typeof spawn>;
  let port: number;

  beforeAll(async () => {
    redis = await startBusServer('redis', binary, await freePort());
    port = await freePort();
    primary = spawn(process.execPath, [join(import.meta.dirname, 'server.mjs')], {
      env: { ...process.env, PORT: String(port), WORKERS: '2', REDIS_PORT: String(redis.port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: primary.stdout! })[Symbol.asyncIterator]();
    const line = await lines.next();
    expect(line.value).toMatch(/^listening on ws:\/\/127\.0\.0\.1:\d+ with 2 workers$/);
  }, 60_000);

  afterAll(async () => {
    // SIGTERM to the primary: cluster ends its workers with it.
    if (primary.exitCode === null) {
      primary.kill('SIGTERM');
      await once(primary, 'exit');
    }
    await redis?.stop();
  });

  it('clients on different workers share a room through Redis, each message once', async () => {
    const clients: Array<{ ws: WebSocket; received: string[]; worker: string }> = [];
    // Round-robin: four connections land on both workers.
    for (let i = 0; i < 4; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/lobby`);
      const received: string[] = [];
      const welcome = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
      const worker = (await welcome).replace(/.*worker /, '');
      ws.on('message', (data) => received.push(String(data)));
      clients.push({ ws, received, worker });
    }
    expect(new Set(clients.map((client) => client.worker)).size).toBe(2);
    clients.forEach((client, i) => client.ws.send(`hello from ${i}`));
    const expected = clients.map((_, i) => `hello from ${i}`).sort();
    for (const client of clients) {
      await expect.poll(() => client.received.length).toBe(4);
      expect([...client.received].sort()).toEqual(expected);
    }
    for (const client of clients) client.ws.close();
  });
});
