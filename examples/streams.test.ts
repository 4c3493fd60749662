import { afterEach, expect, it } from 'vitest';
import WebSocket, { createWebSocketStream } from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './streams.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('streams: what the client stream writes comes back upper-cased', async () => {
  app = await start();
  const ws = new WebSocket(app!.url);
  const duplex = createWebSocketStream(ws, { encoding: 'utf8' });
  let received = '';
  duplex.on('data', (chunk: string) => (received += chunk));
  duplex.write('hello ');
  duplex.write('streams');
  while (received.length < 'hello streams'.length) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(received).toBe('HELLO STREAMS');
  duplex.destroy();
  await new Promise<void>((resolve) => ws.once('close', () => resolve()));
});
