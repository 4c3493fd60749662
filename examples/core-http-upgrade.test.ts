import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { rawRequest, upgradeRequest } from '../packages/node-adapter/test/helpers.js';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './core-http-upgrade.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('core-http-upgrade: the core takes an upgrade from Node http and echoes', async () => {
  app = await start();
  const ws = new WebSocket(app!.url);
  const reply = await new Promise<string>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send('hi'));
    ws.once('message', (data) => resolve(String(data)));
  });
  expect(reply).toBe('echo: hi');
  ws.close();
  const [code] = await new Promise<[number]>((resolve) => ws.once('close', (closeCode) => resolve([closeCode])));
  expect(code).toBe(1005);
});

it('core-http-upgrade: answers the RFC 6455 §1.3 key and refuses a bad request with 400', async () => {
  app = await start();
  const port = Number(new URL(app!.url).port);
  const accepted = await rawRequest(port, upgradeRequest('/'));
  accepted.socket.destroy();
  expect(accepted.head).toContain('\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  const refused = await rawRequest(port, upgradeRequest('/', { 'Sec-WebSocket-Key': 'short' }));
  refused.socket.destroy();
  expect(refused.head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
});

it("core README: the handshake snippet is this example's code", () => {
  const readme = readFileSync(new URL('../packages/core/README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### A server handshake with little garbage'));
  const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const example = readFileSync(new URL('./core-http-upgrade.mjs', import.meta.url), 'utf8');
  const lines = snippet.split('\n').map((line) => line.trim()).filter((line) => line !== '' && line !== '} else {' && line !== '}');
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) expect(example, line).toContain(line);
});
