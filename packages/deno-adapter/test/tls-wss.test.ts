/** wss: our client and our server over Deno.connectTls / Deno.listenTls, and Deno's built-in client against our TLS server. */
import { assert, assertEquals } from './assert.ts';
import { serve, WebSocket } from '../src/index.ts';
import { closeAndWait, next } from './helpers.ts';
import { CA_CERT, SERVER_CERT, SERVER_KEY } from './tls-fixtures.ts';

function tlsEchoServer() {
  return serve({ hostname: '127.0.0.1', port: 0, cert: SERVER_CERT, key: SERVER_KEY, perMessageDeflate: true }, (ws) => {
    ws.onmessage = (event) => ws.send(event.data);
  });
}

Deno.test('wss: our client trusts the test CA through caCerts; deflate over TLS', async () => {
  const server = tlsEchoServer();
  const ws = new WebSocket(`wss://127.0.0.1:${server.addr.port}/`, { tls: { caCerts: [CA_CERT] } });
  await next(ws, 'open');
  assert(ws.extensions.startsWith('permessage-deflate'));
  const reply = next<MessageEvent>(ws, 'message');
  ws.send('over tls');
  assertEquals((await reply).data, 'over tls');
  const closed = await closeAndWait(ws, 1000, 'tls bye');
  assertEquals([closed.code, closed.reason, closed.wasClean], [1000, 'tls bye', true]);
  await server.close();
});

Deno.test('wss: without the CA the handshake fails (error, close 1006)', async () => {
  const server = tlsEchoServer();
  const ws = new WebSocket(`wss://127.0.0.1:${server.addr.port}/`);
  const error = next(ws, 'error');
  const closed = next<CloseEvent>(ws, 'close');
  await error;
  assertEquals((await closed).code, 1006);
  await server.close();
});
