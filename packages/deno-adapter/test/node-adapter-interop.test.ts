/**
 * @sansock/deno against @sansock/node in another process, each way, with permessage-deflate:
 * text and binary echo, a 16 MiB message, close codes and reasons both ways, and a peer that
 * vanishes mid-message. Needs the node adapter built (packages/node-adapter/dist).
 */
import { assert, assertEquals } from './assert.ts';
import { serve, WebSocket, type WebSocketServer } from '../src/index.ts';
import { equalBytes, next, patternBytes } from './helpers.ts';
import { startNodePeer } from './node-peer.ts';

const SIXTEEN_MIB = 16 * 1024 * 1024;
const MAX_PAYLOAD = 64 * 1024 * 1024;

async function nextMessage(ws: WebSocket): Promise<unknown> {
  return (await next<MessageEvent>(ws, 'message')).data;
}

Deno.test('our client → @sansock/node server: deflate, 16 MiB echo, we close with a code and reason', async () => {
  const peer = startNodePeer('server');
  const { port } = await peer.next('listening');
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: true, maxPayload: MAX_PAYLOAD });
  ws.binaryType = 'arraybuffer';
  await next(ws, 'open');
  assert(ws.extensions.startsWith('permessage-deflate'), ws.extensions);
  ws.send('hello node');
  assertEquals(await nextMessage(ws), 'hello node');
  const big = patternBytes(SIXTEEN_MIB);
  ws.send(big);
  const echoed = new Uint8Array((await nextMessage(ws)) as ArrayBuffer);
  assert(equalBytes(echoed, big), '16 MiB echo differs');
  const closed = next<CloseEvent>(ws, 'close');
  ws.close(4000, 'from deno');
  const event = await closed;
  assertEquals([event.code, event.reason, event.wasClean], [4000, 'from deno', true]);
  const seen = await peer.next('close');
  assertEquals([seen.code, seen.reason], [4000, 'from deno']);
  assertEquals((await peer.done()).code, 0);
});

Deno.test('our client → @sansock/node server: the server closes with a code and reason', async () => {
  const peer = startNodePeer('server');
  const { port } = await peer.next('listening');
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  await next(ws, 'open');
  const closed = next<CloseEvent>(ws, 'close');
  ws.send('close:4001:from node');
  const event = await closed;
  assertEquals([event.code, event.reason, event.wasClean], [4001, 'from node', true]);
  assertEquals((await peer.done()).code, 0);
});

Deno.test('our client → @sansock/node server: the server vanishes mid-message (1006)', async () => {
  const peer = startNodePeer('server');
  const { port } = await peer.next('listening');
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
  await next(ws, 'open');
  let messages = 0;
  ws.onmessage = () => messages++;
  const closed = next<CloseEvent>(ws, 'close');
  ws.send(`vanish:${SIXTEEN_MIB}`);
  const event = await closed;
  assertEquals([event.code, event.wasClean, messages], [1006, false, 0]);
  await peer.done();
});

function deflateServer(onSocket: (ws: WebSocket) => void): WebSocketServer {
  return serve({ hostname: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: MAX_PAYLOAD }, onSocket);
}

Deno.test('@sansock/node client → our server: deflate, 16 MiB echo, we close with a code and reason', async () => {
  const big = patternBytes(SIXTEEN_MIB, 7);
  const result = Promise.withResolvers<{ text: unknown; big: boolean; extensions: string }>();
  const server = deflateServer((ws) => {
    ws.binaryType = 'arraybuffer';
    const got: unknown[] = [];
    ws.onmessage = (event) => {
      got.push(event.data);
      if (got.length === 2) {
        result.resolve({ text: got[0], big: equalBytes(new Uint8Array(got[1] as ArrayBuffer), big), extensions: ws.extensions });
        ws.close(4003, 'from deno server');
      }
    };
    ws.send('hi from deno');
    ws.send(big);
  });
  const peer = startNodePeer('client', `ws://127.0.0.1:${server.addr.port}/`);
  const opened = await peer.next('open');
  assert(opened.extensions?.startsWith('permessage-deflate'), opened.extensions);
  const { text, big: bigOk, extensions } = await result.promise;
  assertEquals(text, 'hi from deno');
  assert(bigOk, '16 MiB echo differs');
  assert(extensions.startsWith('permessage-deflate'));
  const seen = await peer.next('close');
  assertEquals([seen.code, seen.reason], [4003, 'from deno server']);
  assertEquals((await peer.done()).code, 0);
  await server.close();
});

Deno.test('@sansock/node client → our server: the client closes with a code and reason', async () => {
  const closed = Promise.withResolvers<CloseEvent>();
  const server = deflateServer((ws) => {
    ws.onclose = (event) => closed.resolve(event);
    ws.send('close:4004:from node client');
  });
  const peer = startNodePeer('client', `ws://127.0.0.1:${server.addr.port}/`);
  const event = await closed.promise;
  assertEquals([event.code, event.reason, event.wasClean], [4004, 'from node client', true]);
  assertEquals((await peer.next('close')).code, 4004);
  assertEquals((await peer.done()).code, 0);
  await server.close();
});

Deno.test('@sansock/node client → our server: the client vanishes mid-message (1006)', async () => {
  const closed = Promise.withResolvers<CloseEvent>();
  let messages = 0;
  const server = serve({ hostname: '127.0.0.1', port: 0, maxPayload: MAX_PAYLOAD }, (ws) => {
    ws.onmessage = () => messages++;
    ws.onclose = (event) => closed.resolve(event);
    ws.send(`vanish:${SIXTEEN_MIB}`);
  });
  const peer = startNodePeer('client', `ws://127.0.0.1:${server.addr.port}/`);
  const event = await closed.promise;
  assertEquals([event.code, event.wasClean, messages], [1006, false, 0]);
  await peer.done();
  await server.close();
});
