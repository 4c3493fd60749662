/**
 * The `keepAlive` option under Deno (the driver's keep-alive on Deno's monotonic clock): a peer
 * that answers pings stays connected however many intervals pass; one that goes silent is
 * dropped with 1006 — on the server side and on the client side. Counts pings, never asserts time.
 */
import { assert, assertEquals } from './assert.ts';
import { serve, type WebSocket, WebSocket as Client } from '../src/index.ts';
import { next } from './helpers.ts';
import { OPCODE, frame, rawClient, rawServer, readToEnd, writeAll } from './raw-peer.ts';

/**
 * Without a keep-alive nothing would ever come and these tests would wait forever: a generous
 * guard (100× the intervals used) turns that into a failure naming what never happened.
 */
function guard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} never happened`)), 10_000);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Reads unmasked frames with short payloads (what a server sends here) and calls `onFrame` for each. */
async function readFrames(conn: Deno.Conn, onFrame: (opcode: number, payload: Uint8Array) => Promise<boolean>): Promise<void> {
  let pending = new Uint8Array(0);
  const buffer = new Uint8Array(4096);
  for (;;) {
    let count: number | null;
    try {
      count = await conn.read(buffer);
    } catch {
      return;
    }
    if (count === null) return;
    const joined = new Uint8Array(pending.length + count);
    joined.set(pending);
    joined.set(buffer.subarray(0, count), pending.length);
    pending = joined;
    while (pending.length >= 2 && pending.length >= 2 + (pending[1]! & 0x7f)) {
      const length = pending[1]! & 0x7f;
      assert(length < 126, 'only short frames are expected here');
      const more = await onFrame(pending[0]! & 0x0f, pending.slice(2, 2 + length));
      pending = pending.subarray(2 + length);
      if (!more) return;
    }
  }
}

function countingServer(keepAlive: { interval: number; timeout?: number }) {
  const closes: CloseEvent[] = [];
  const closed = Promise.withResolvers<void>();
  const sockets: WebSocket[] = [];
  const server = serve({ hostname: '127.0.0.1', port: 0, keepAlive }, (ws: WebSocket) => {
    sockets.push(ws);
    ws.onclose = (event) => {
      closes.push(event);
      closed.resolve();
    };
  });
  return { server, closes, sockets, closed: closed.promise };
}

Deno.test('server keepAlive: a peer that answers every ping stays open, ping after ping', async () => {
  const { server, closes, sockets, closed } = countingServer({ interval: 20, timeout: 40 });
  const { conn, head } = await rawClient(server.addr.port);
  assert(head.startsWith('HTTP/1.1 101'), head);
  let pings = 0;
  await guard(
    readFrames(conn, async (opcode, payload) => {
      if (opcode !== OPCODE.PING) return true;
      pings++;
      await writeAll(conn, frame(OPCODE.PONG, payload));
      return pings < 5;
    }),
    'five keep-alive pings',
  );
  // Five silences, five pings, each answered: the server never gave up on us.
  assertEquals(pings, 5);
  assertEquals(closes.length, 0);
  assertEquals(sockets[0]?.readyState, 1);
  await writeAll(conn, frame(OPCODE.CLOSE, Uint8Array.of(0x03, 0xe8)));
  await readToEnd(conn);
  conn.close();
  await closed;
  assertEquals(closes[0]?.code, 1000);
  await server.close();
});

Deno.test('server keepAlive: a peer that never answers is dropped with 1006 after a ping', async () => {
  const { server, closes, closed } = countingServer({ interval: 20, timeout: 40 });
  const { conn } = await rawClient(server.addr.port);
  const ended = readToEnd(conn); // the server ends the connection itself
  const output = await guard(ended, 'the drop').finally(() => conn.close());
  await closed;
  assertEquals(output[0]! & 0x0f, OPCODE.PING, 'a ping came before the drop');
  assertEquals(closes[0]?.code, 1006);
  assertEquals(closes[0]?.wasClean, false);
  await server.close();
});

Deno.test('client keepAlive: a server that goes silent is dropped with 1006', async () => {
  const peer = await rawServer();
  const ws = new Client(`ws://127.0.0.1:${peer.port}/`, { keepAlive: { interval: 20, timeout: 40 } });
  const conn = await peer.accept();
  await next(ws, 'open');
  const closed = await guard(next<CloseEvent>(ws, 'close'), 'the drop').finally(() => ws.readyState !== 3 && ws.close());
  assertEquals(closed.code, 1006);
  assertEquals(closed.wasClean, false);
  const output = await readToEnd(conn);
  // The client's ping (masked, RFC 6455 §5.3) went out before it gave up.
  assertEquals(output[0]! & 0x0f, OPCODE.PING);
  assertEquals(output[1]! & 0x80, 0x80);
  conn.close();
  peer.close();
});
