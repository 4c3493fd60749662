import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from '@sansock/node';
import { type TestProxy, startProxy } from '../packages/node-adapter/test/proxy-helpers.js';
// @ts-expect-error: a plain JavaScript example, no types
import { askThroughProxy } from './proxy-client.mjs';

let proxy: TestProxy;
let wss: WebSocketServer;

beforeAll(async () => {
  proxy = await startProxy('user:pass');
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`echo: ${String(data)}`)));
  await new Promise((resolve) => wss.once('listening', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => wss.close(resolve));
  await proxy.close();
});

it('proxy-client: asks through an authenticating CONNECT proxy', async () => {
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('not TCP');
  const reply: string = await askThroughProxy(`ws://127.0.0.1:${address.port}/`, `http://user:pass@127.0.0.1:${proxy.port}`, 'hi');
  expect(reply).toBe('echo: hi');
  expect(proxy.tunnels).toEqual([`127.0.0.1:${address.port}`]);
});
