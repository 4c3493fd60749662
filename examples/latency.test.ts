import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript example, no types
import { measure } from './latency.mjs';

// The real `ws` package as the peer (a devDependency of the node adapter).
const require = createRequire(new URL('../packages/node-adapter/package.json', import.meta.url));
interface WsServer {
  readonly clients: Set<{ terminate(): void }>;
  close(callback: () => void): void;
  once(event: 'listening', listener: () => void): void;
  address(): AddressInfo | string | null;
}
const { WebSocketServer } = require('ws') as { WebSocketServer: new (options: object) => WsServer };

const servers: WsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function wsServer(options: { autoPong?: boolean } = {}): Promise<string> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('latency: three round trips to a ws server that answers pings', async () => {
  const roundTrips: number[] = await measure(await wsServer(), { count: 3 });
  expect(roundTrips).toHaveLength(3);
  for (const ms of roundTrips) expect(ms).toBeGreaterThanOrEqual(0);
});

it('latency: a server that never answers (ws with autoPong: false) makes it reject with WS_ERR_PONG_TIMEOUT', async () => {
  await expect(measure(await wsServer({ autoPong: false }), { count: 1, timeout: 50 })).rejects.toMatchObject({ code: 'WS_ERR_PONG_TIMEOUT' });
});
