/** Our client against Deno's own server (Deno.serve + Deno.upgradeWebSocket). */
import { assert, assertEquals } from './assert.ts';
import { WebSocket } from '../src/index.ts';
import { closeAndWait, denoServe, equalBytes, next, openClient, patternBytes } from './helpers.ts';

Deno.test('text and binary echo, in order, with the WHATWG attributes', async () => {
  const server = denoServe();
  const ws = await openClient(`ws://127.0.0.1:${server.port}/path?q=1`);
  assertEquals(ws.readyState, WebSocket.OPEN);
  assertEquals(ws.url, `ws://127.0.0.1:${server.port}/path?q=1`);
  assertEquals(ws.protocol, '');
  assertEquals(ws.binaryType, 'blob');
  ws.binaryType = 'arraybuffer';
  const received: unknown[] = [];
  const done = new Promise<void>((resolve) => {
    ws.onmessage = (event) => {
      received.push(event.data);
      if (received.length === 3) resolve();
    };
  });
  ws.send('héllo');
  ws.send(Uint8Array.of(1, 2, 3));
  ws.send(new Blob(['blob text']));
  await done;
  assertEquals(received[0], 'héllo');
  assert(received[1] instanceof ArrayBuffer);
  assertEquals([...new Uint8Array(received[1] as ArrayBuffer)], [1, 2, 3]);
  // Deno's server echoes what it got: the Blob went out as binary.
  assertEquals(new TextDecoder().decode(received[2] as ArrayBuffer), 'blob text');
  const closed = await closeAndWait(ws, 1000, 'bye');
  assertEquals(closed.code, 1000);
  assertEquals(closed.reason, 'bye');
  assert(closed.wasClean);
  assertEquals(ws.readyState, WebSocket.CLOSED);
  await server.close();
});

Deno.test('binaryType blob gives Blobs', async () => {
  const server = denoServe();
  const ws = await openClient(`ws://127.0.0.1:${server.port}/`);
  const message = next<MessageEvent>(ws, 'message');
  ws.send(Uint8Array.of(9, 8, 7));
  const data = (await message).data;
  assert(data instanceof Blob);
  assertEquals([...new Uint8Array(await data.arrayBuffer())], [9, 8, 7]);
  await closeAndWait(ws);
  await server.close();
});

Deno.test('subprotocol negotiation, extra headers', async () => {
  let seen: Headers | undefined;
  const server = denoServe((socket, headers) => {
    seen = headers;
    socket.onmessage = (event) => socket.send(event.data);
  }, 'chat');
  const ws = await openClient(`ws://127.0.0.1:${server.port}/`, { headers: { authorization: 'Bearer x', 'x-extra': 'y' } }, ['superchat', 'chat']);
  assertEquals(ws.protocol, 'chat');
  assertEquals(seen?.get('authorization'), 'Bearer x');
  assertEquals(seen?.get('x-extra'), 'y');
  assertEquals(seen?.get('sec-websocket-protocol'), 'superchat, chat');
  await closeAndWait(ws);
  await server.close();
});

Deno.test('the server closes with a code and reason', async () => {
  const server = denoServe((socket) => {
    socket.onmessage = () => socket.close(4001, 'go away');
  });
  const ws = await openClient(`ws://127.0.0.1:${server.port}/`);
  const closed = next<CloseEvent>(ws, 'close');
  ws.send('close me');
  const event = await closed;
  assertEquals(event.code, 4001);
  assertEquals(event.reason, 'go away');
  assert(event.wasClean);
  await server.close();
});

Deno.test('async iteration of messages, and a large message', async () => {
  const server = denoServe();
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
  const big = patternBytes(3 * 1024 * 1024);
  ws.onopen = () => {
    ws.send('one');
    ws.send(big);
    ws.send('three');
  };
  const got: Array<string | Uint8Array> = [];
  for await (const message of ws) {
    got.push(message);
    if (got.length === 3) ws.close();
  }
  assertEquals(got[0], 'one');
  assert(equalBytes(got[1] as Uint8Array, big));
  assertEquals(got[2], 'three');
  await server.close();
});

Deno.test('a refused handshake: error, then close 1006, and no socket left', async () => {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, () => new Response('no', { status: 403 }));
  const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
  const error = next<ErrorEvent>(ws, 'error');
  const closed = next<CloseEvent>(ws, 'close');
  assertEquals(ws.readyState, WebSocket.CONNECTING);
  assert((await error).message.includes('403'));
  assertEquals((await closed).code, 1006);
  assertEquals(ws.readyState, WebSocket.CLOSED);
  await server.shutdown();
});

Deno.test('WHATWG argument checks', async () => {
  const server = denoServe();
  let thrown: unknown;
  try {
    new WebSocket('ftp://127.0.0.1/');
  } catch (error) {
    thrown = error;
  }
  assert(thrown instanceof DOMException && thrown.name === 'SyntaxError');
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
  try {
    ws.send('too early');
  } catch (error) {
    thrown = error;
  }
  assert(thrown instanceof DOMException && thrown.name === 'InvalidStateError');
  await next(ws, 'open');
  try {
    ws.close(1005);
  } catch (error) {
    thrown = error;
  }
  assert(thrown instanceof DOMException && thrown.name === 'InvalidAccessError');
  await closeAndWait(ws);
  // Sends after close count in bufferedAmount and are dropped.
  ws.send('late');
  assertEquals(ws.bufferedAmount, 4);
  await server.close();
});
