/**
 * A client that trickles its handshake request (slowloris) cannot hold a socket on the http
 * server WebSocketServer creates: it is answered 408 and dropped once its headers timeout has
 * passed. The server is created with SERVER_HEADERS_TIMEOUT (10 s); waiting that long makes a
 * slow test, so the first test checks the options the server is created with, and the second
 * runs the same server with the timeouts scaled down to show what those options do.
 */
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, it, vi } from 'vitest';
import { SERVER_CONNECTIONS_CHECKING_INTERVAL, SERVER_HEADERS_TIMEOUT, SERVER_REQUEST_TIMEOUT, WebSocketServer } from '@sansock/node';
import { next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

type CreateServer = (options: http.ServerOptions, listener?: http.RequestListener) => http.Server;

/** Watches http.createServer: records the options it gets, and passes `override` on top of them. */
function watchCreateServer(override: http.ServerOptions = {}): http.ServerOptions[] {
  const seen: http.ServerOptions[] = [];
  const original = http.createServer as CreateServer;
  const spy = vi.spyOn(http, 'createServer').mockImplementation(((options: http.ServerOptions, listener?: http.RequestListener) => {
    seen.push(options);
    return original({ ...options, ...override }, listener);
  }) as typeof http.createServer);
  cleanup.push(() => spy.mockRestore());
  return seen;
}

async function listen(): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await next(wss, 'listening');
  return wss;
}

it('creates its http server with headers and request timeouts', async () => {
  const seen = watchCreateServer();
  await listen();
  expect(seen).toEqual([
    {
      headersTimeout: SERVER_HEADERS_TIMEOUT,
      requestTimeout: SERVER_REQUEST_TIMEOUT,
      connectionsCheckingInterval: SERVER_CONNECTIONS_CHECKING_INTERVAL,
    },
  ]);
});

it('drops a client that never finishes its request head, however slowly it keeps sending', async () => {
  // The same server with timeouts of 300 ms instead of 10 s (no clock is read: the test only
  // waits for the 408 and the close, which never come if the timeout did not apply).
  watchCreateServer({ headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 });
  const wss = await listen();
  const socket = net.connect(portOf(wss), '127.0.0.1');
  socket.on('error', () => {});
  cleanup.push(() => {
    socket.destroy();
  });
  await once(socket, 'connect');
  socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n');
  // One more header byte every 100 ms, more often than the timeout: were the deadline counted
  // from the last byte rather than the first, the client would never be dropped.
  const trickle = setInterval(() => socket.write('X'), 100);
  cleanup.push(() => clearInterval(trickle));
  let reply = '';
  socket.on('data', (chunk: Buffer) => {
    reply += chunk.toString('latin1');
    clearInterval(trickle);
  });
  // Not events.once: it rejects on 'error'. A trickled byte can reach the server after it has
  // answered and closed, and its kernel then resets the connection (ECONNRESET here, on Node or
  // Bun alike); the drop is what this test checks, and a reset is a drop too.
  await new Promise((resolve) => socket.once('close', resolve));
  if (reply !== '') expect(reply.startsWith('HTTP/1.1 408')).toBe(true);
}, 10_000);
