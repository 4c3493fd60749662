/** Our server (serve() and upgrade()) against Deno's built-in WebSocket client. */
import { assert, assertEquals } from './assert.ts';
import { serve, upgrade, type UpgradeRequest, type WebSocket } from '../src/index.ts';
import { next } from './helpers.ts';

function echoServer(options: Partial<Parameters<typeof serve>[0]> = {}, onSocket?: (socket: WebSocket, request: UpgradeRequest) => void) {
  return serve({ hostname: '127.0.0.1', port: 0, ...options }, onSocket ?? ((socket) => {
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => socket.send(event.data);
  }));
}

Deno.test('serve(): echo with the built-in client, then a clean close both ways', async () => {
  const server = echoServer();
  const client = new globalThis.WebSocket(`ws://127.0.0.1:${server.addr.port}/x`);
  client.binaryType = 'arraybuffer';
  await next(client, 'open');
  const messages: unknown[] = [];
  const got = new Promise<void>((resolve) => {
    client.onmessage = (event) => {
      messages.push(event.data);
      if (messages.length === 2) resolve();
    };
  });
  client.send('text ✓');
  client.send(Uint8Array.of(5, 6));
  await got;
  assertEquals(messages[0], 'text ✓');
  assertEquals([...new Uint8Array(messages[1] as ArrayBuffer)], [5, 6]);
  const closed = next<CloseEvent>(client, 'close');
  client.close(3001, 'client done');
  const event = await closed;
  assertEquals(event.code, 3001);
  assertEquals(event.reason, 'client done');
  assert(event.wasClean);
  await server.close();
});

Deno.test('serve(): the server closes with a code and reason; subprotocol and request head', async () => {
  let request: UpgradeRequest | undefined;
  const server = echoServer({ handleProtocols: (protocols) => protocols.includes('b') ? 'b' : false }, (socket, req) => {
    request = req;
    socket.onmessage = () => socket.close(4002, 'server says bye');
  });
  const client = new globalThis.WebSocket(`ws://127.0.0.1:${server.addr.port}/room?id=7`, ['a', 'b']);
  await next(client, 'open');
  assertEquals(client.protocol, 'b');
  assertEquals(request?.target, '/room?id=7');
  assertEquals(request?.protocols, ['a', 'b']);
  const closed = next<CloseEvent>(client, 'close');
  client.send('x');
  const event = await closed;
  assertEquals(event.code, 4002);
  assertEquals(event.reason, 'server says bye');
  assert(event.wasClean);
  await server.close();
});

Deno.test('serve(): verifyClient refuses with a status; a plain HTTP request gets a clean 4xx', async () => {
  const server = echoServer({ verifyClient: (request) => request.headers.get('origin') === 'https://ok.example' || { status: 403, message: 'nope' } });
  const client = new globalThis.WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
  const error = next(client, 'error');
  const closed = next(client, 'close');
  await error;
  await closed;
  // Not a WebSocket request at all: the core's rejection, then the connection is closed.
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assertEquals(response.status, 400);
  assertEquals(await response.text(), 'Bad Request');
  await server.close();
});

Deno.test('upgrade(): a connection accepted by the application', async () => {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const serverSide = (async () => {
    const conn = await listener.accept();
    const socket = await upgrade(conn);
    const message = await next<MessageEvent>(socket, 'message');
    socket.send(`got ${message.data}`);
    await next(socket, 'close');
  })();
  const client = new globalThis.WebSocket(`ws://127.0.0.1:${listener.addr.port}/`);
  await next(client, 'open');
  const reply = next<MessageEvent>(client, 'message');
  client.send('ping');
  assertEquals((await reply).data, 'got ping');
  const closed = next<CloseEvent>(client, 'close');
  client.close();
  assertEquals((await closed).code, 1005);
  await serverSide;
  listener.close();
});

Deno.test('serve(): close() says 1001 to open sockets and resolves once all are gone', async () => {
  const server = echoServer();
  const client = new globalThis.WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
  await next(client, 'open');
  const closed = next<CloseEvent>(client, 'close');
  await server.close();
  const event = await closed;
  assertEquals(event.code, 1001);
});
