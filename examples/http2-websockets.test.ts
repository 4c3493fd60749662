/**
 * The README's HTTP/2 example, run: one TLS port serving WebSockets over HTTP/2 (RFC 8441) to our
 * client (three WebSockets, one TCP connection) and over HTTP/1.1 to a client without http2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { makeCert } from '../packages/node-adapter/test/http2-helpers.js';
// @ts-expect-error: a plain JavaScript example, no types
import { askOverHttp2, start } from './http2-websockets.mjs';

type App = { url: string; wss: import('@sansock/node').WebSocketServer; server: import('node:http2').Http2SecureServer };
let app: App | undefined;
afterEach(async () => {
  if (app === undefined) return;
  for (const ws of app.wss.clients) ws.terminate();
  await new Promise((resolve) => app!.wss.close(resolve));
  await new Promise((resolve) => app!.server.close(resolve));
  app = undefined;
});

it('the README shows this example as it is', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'packages', 'node-adapter', 'README.md'), 'utf8');
  const example = readFileSync(join(import.meta.dirname, 'http2-websockets.mjs'), 'utf8');
  const body = example.slice(example.indexOf('export async function start'), example.indexOf('\nif (import.meta.url'));
  expect(readme).toContain(body.trim());
});

it('serves WebSockets over HTTP/2 (many on one connection) and over HTTP/1.1 on one port', async () => {
  const cert = await makeCert();
  app = (await start(cert)) as App;
  let tcpConnections = 0;
  app.server.on('secureConnection', () => tcpConnections++);
  const replies: string[] = await askOverHttp2(app.url, 3, cert.cert);
  expect(replies).toEqual(['HTTP/2 echo: hello 0', 'HTTP/2 echo: hello 1', 'HTTP/2 echo: hello 2']);
  expect(tcpConnections).toBe(1);

  const legacy = new WebSocket(app.url, { ca: cert.cert });
  await new Promise((resolve) => legacy.once('open', resolve));
  const reply = new Promise<string>((resolve) => legacy.once('message', (data) => resolve(String(data))));
  legacy.send('hi');
  expect(await reply).toBe('HTTP/1.1 echo: hi');
  legacy.close();
  expect(tcpConnections).toBe(2);
});
