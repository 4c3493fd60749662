import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './multiple-servers.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

const firstMessage = (url: string) =>
  new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.once('error', reject);
  });

it('multiple-servers: routes /chat and /news to their own server, 404 otherwise', async () => {
  app = await start();
  expect(await firstMessage(`${app!.url}/chat`)).toBe('welcome to /chat');
  expect(await firstMessage(`${app!.url}/news`)).toBe('welcome to /news');
  await expect(firstMessage(`${app!.url}/other`)).rejects.toThrow('Unexpected server response: 404');
});
