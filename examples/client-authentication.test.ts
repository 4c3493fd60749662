import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './client-authentication.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('client-authentication: a valid token connects as its user, a bad one gets 401', async () => {
  app = await start();
  const ws = new WebSocket(app!.url, { headers: { Authorization: 'Bearer let-me-in' } });
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
  ws.send('hello');
  expect(await reply).toBe('alice: hello');
  ws.close();

  const intruder = new WebSocket(app!.url, { headers: { Authorization: 'Bearer guess' } });
  const error = await new Promise<Error>((resolve) => intruder.once('error', resolve));
  expect(error.message).toBe('Unexpected server response: 401');
});
