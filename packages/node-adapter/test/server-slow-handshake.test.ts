/**
 * A client that trickles its handshake request (slowloris) cannot hold a socket on the http
 * server WebSocketServer creates: it is answered 408 and dropped once SERVER_HEADERS_TIMEOUT
 * has passed (within one connection-check interval).
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { SERVER_CONNECTIONS_CHECKING_INTERVAL, SERVER_HEADERS_TIMEOUT, WebSocketServer } from '@sansock/node';
import { next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

it('drops a client that never finishes its request head', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await next(wss, 'listening');
  const socket = net.connect(portOf(wss), '127.0.0.1');
  socket.on('error', () => {});
  cleanup.push(() => {
    socket.destroy();
  });
  await once(socket, 'connect');
  const started = Date.now();
  socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n');
  // One more header byte every 500 ms: the deadline counts from the first byte, not the last.
  const trickle = setInterval(() => socket.write('X'), 500);
  cleanup.push(() => clearInterval(trickle));
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
  await once(socket, 'close');
  const elapsed = Date.now() - started;
  expect(reply.startsWith('HTTP/1.1 408')).toBe(true);
  expect(elapsed).toBeGreaterThanOrEqual(SERVER_HEADERS_TIMEOUT - 100);
  expect(elapsed).toBeLessThan(SERVER_HEADERS_TIMEOUT + 2 * SERVER_CONNECTIONS_CHECKING_INTERVAL + 500);
}, 20_000);
