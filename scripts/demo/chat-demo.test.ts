import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from '@sansock/node';
// @ts-expect-error: a plain JavaScript module without types (the demo stays runnable with `node`).
import { startChat } from './chat-server.mjs';

/** The Quick start demo: the page is served and messages are broadcast to every client. */

let server: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function connect(url: string): Promise<{ ws: WebSocket; inbox: Array<{ from: string; text: string }> }> {
  const ws = new WebSocket(url);
  const inbox: Array<{ from: string; text: string }> = [];
  ws.on('message', (data) => inbox.push(JSON.parse(data.toString()) as { from: string; text: string }));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, inbox }));
    ws.on('error', reject);
  });
}

describe('chat demo', () => {
  it('serves the chat page and broadcasts each message to everyone', async () => {
    server = (await startChat({ port: 0 })) as { url: string; close: () => Promise<void> };
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('new WebSocket(`ws://${location.host}/chat`)');

    const chatUrl = server.url.replace('http:', 'ws:') + 'chat';
    const alice = await connect(chatUrl);
    const bob = await connect(chatUrl);
    alice.ws.send('hi bob');
    await expect.poll(() => bob.inbox.some((m) => m.text === 'hi bob')).toBe(true);
    await expect.poll(() => alice.inbox.some((m) => m.text === 'hi bob')).toBe(true);
    expect(bob.inbox.find((m) => m.text === 'hi bob')?.from).toBe('guest-1');

    const left = new Promise((resolve) => alice.ws.on('close', resolve));
    bob.ws.close();
    await expect.poll(() => alice.inbox.some((m) => m.text === 'guest-2 left')).toBe(true);
    alice.ws.close();
    await left;
  });
});
