import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './external-http-server.mjs';

let app: { url: string; httpUrl: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('external-http-server: serves HTTP and WebSocket on the same port', async () => {
  app = await start();
  const response = await fetch(app!.httpUrl);
  expect(await response.text()).toBe('plain HTTP still works\n');
  const ws = new WebSocket(app!.url);
  const [greeting] = await new Promise<[Buffer]>((resolve) => ws.once('message', (data) => resolve([data as Buffer])));
  expect(String(greeting)).toBe('hello 127.0.0.1');
  ws.close();
  await new Promise<void>((resolve) => ws.once('close', () => resolve()));
});
