import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
// @ts-expect-error: a plain JavaScript example, no types
import { start } from './keep-alive.mjs';

let app: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => app?.close());

it('keep-alive: a client that answers pings stays, one that does not (autoPong: false) is dropped with 1006', async () => {
  // A timeout no busy machine can miss for the client that answers; the silent one never does.
  let serverSaw: (code: number) => void;
  const serverClose = new Promise<number>((resolve) => (serverSaw = resolve));
  app = await start({ interval: 20, timeout: 2000, onClose: (code: number) => serverSaw(code) });
  const healthy = new WebSocket(app!.url);
  const silent = new WebSocket(app!.url, { autoPong: false });
  await Promise.all([healthy, silent].map((ws) => new Promise<void>((resolve) => ws.once('open', () => resolve()))));
  let pings = 0;
  healthy.on('ping', () => pings++);
  const [code] = await new Promise<[number]>((resolve) => silent.once('close', (closeCode) => resolve([closeCode])));
  expect(code).toBe(1006);
  expect(await serverClose).toBe(1006);
  expect(pings).toBeGreaterThanOrEqual(1);
  expect(healthy.readyState).toBe(WebSocket.OPEN);
  healthy.close();
  await new Promise<void>((resolve) => healthy.once('close', () => resolve()));
});
