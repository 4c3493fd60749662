/**
 * Topics (`ws.subscribe` / `wss.publish`) reach WebSockets accepted over HTTP/2 (RFC 8441)
 * like those accepted by an HTTP/1.1 upgrade: both kinds of socket are bound by the same server
 * code, so a publish builds one frame and every member of either kind gets it.
 */
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { next, portOf } from './helpers.js';
import { type H2Setup, startH2 } from './http2-helpers.js';

let setup: H2Setup | undefined;
let plain: { wss: WebSocketServer; server: http.Server } | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
  if (plain) {
    for (const client of plain.wss.clients) client.terminate();
    await new Promise<void>((resolve) => plain!.wss.close(() => resolve()));
    await new Promise<void>((resolve) => plain!.server.close(() => resolve()));
    plain = undefined;
  }
});

it('a publish reaches members accepted over HTTP/2 streams, one frame for all', async () => {
  setup = await startH2();
  const joined: Promise<unknown>[] = [];
  setup.wss.on('connection', (ws) => {
    ws.subscribe('news');
  });
  const url = `ws://localhost:${setup.port}`;
  const clients = [0, 1, 2].map(() => new WebSocket(url, { http2: true }));
  for (const client of clients) joined.push(next(client, 'open'));
  await Promise.all(joined);
  // The server binds each stream before the client sees 'open', so every member has joined.
  expect(setup.wss.numSubscribers('news')).toBe(3);
  const received = clients.map((client) => next<[Buffer, boolean]>(client, 'message'));
  const framesBefore = setup.wss.publishCounters.framesBuilt;
  expect(setup.wss.publish('news', 'over h2')).toBe(3);
  for (const [data, binary] of await Promise.all(received)) {
    expect(binary).toBe(false);
    expect(data.toString()).toBe('over h2');
  }
  expect(setup.wss.publishCounters.framesBuilt - framesBefore).toBe(1);
  // A socket leaves its topics when the server side of it closes (its stream is gone).
  const serverSides = [...setup.wss.clients].map((ws) => next(ws, 'close'));
  for (const client of clients) client.close();
  await Promise.all([...serverSides, ...clients.map((client) => next(client, 'close'))]);
  expect(setup.wss.numSubscribers('news')).toBe(0);
});

it('one server takes HTTP/1.1 upgrades and HTTP/2 streams into the same topic', async () => {
  setup = await startH2();
  setup.wss.on('connection', (ws) => ws.subscribe('mixed'));
  // The same WebSocketServer also handles upgrades on a second, HTTP/1.1 server.
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => setup!.wss.handleUpgrade(req, socket, head, (ws) => setup!.wss.emit('connection', ws, req)));
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  plain = { wss: setup.wss, server };
  const overH2 = new WebSocket(`ws://localhost:${setup.port}`, { http2: true });
  const overH1 = new WebSocket(`ws://127.0.0.1:${portOf(server)}`);
  await Promise.all([next(overH2, 'open'), next(overH1, 'open')]);
  const received = [overH2, overH1].map((client) => next<[Buffer, boolean]>(client, 'message'));
  expect(setup.wss.publish('mixed', new Uint8Array([1, 2, 3]))).toBe(2);
  for (const [data, binary] of await Promise.all(received)) {
    expect(binary).toBe(true);
    expect([...data]).toEqual([1, 2, 3]);
  }
  overH1.close();
  overH2.close();
  await Promise.all([next(overH1, 'close'), next(overH2, 'close')]);
});
