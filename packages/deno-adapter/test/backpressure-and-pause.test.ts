/**
 * Backpressure: bufferedAmount is what conn.write has not taken yet, and a message loop that
 * falls behind pauses reading, so the sender's data waits in its own buffers (and TCP's), not in
 * ours. Conditions are polled; no duration is asserted.
 */
import { assert, assertEquals } from './assert.ts';
import { serve, WebSocket } from '../src/index.ts';
import { next, patternBytes } from './helpers.ts';
import { rawClient, readToEnd } from './raw-peer.ts';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert(condition(), `timed out waiting for ${what}`);
}

/** Polls until `value()` has not changed for 10 consecutive samples (the TCP windows are full). */
async function settled(value: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 2000 && same < 10; i++) {
    const now = value();
    same = now === last ? same + 1 : 0;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return last;
}

Deno.test('bufferedAmount counts what the peer has not taken, and drains to 0 once it reads', async () => {
  const size = 8 * 1024 * 1024;
  const sent = Promise.withResolvers<WebSocket>();
  // The raw peer never answers our close frame: a short closeTimeout ends the test soon.
  const server = serve({ hostname: '127.0.0.1', port: 0, closeTimeout: 200 }, (ws) => {
    ws.send(patternBytes(size));
    sent.resolve(ws);
  });
  const { conn } = await rawClient(server.addr.port);
  const ws = await sent.promise;
  // The peer is not reading: 8 MiB cannot all fit in the kernel's buffers.
  const stuck = await settled(() => ws.bufferedAmount);
  assert(stuck > 0 && stuck <= size + 10, `bufferedAmount ${stuck}`);
  const reading = readToEnd(conn);
  await until(() => ws.bufferedAmount === 0, 'bufferedAmount to drain');
  const closed = next(ws, 'close');
  ws.close();
  await closed;
  conn.close();
  await reading;
  await server.close();
});

Deno.test('a message loop that falls behind pauses reading: the sender keeps its data, then all arrives in order', async () => {
  const count = 48;
  const size = 1024 * 1024;
  const gate = Promise.withResolvers<void>();
  const received: number[] = [];
  const done = Promise.withResolvers<void>();
  const server = serve({ hostname: '127.0.0.1', port: 0 }, async (ws) => {
    for await (const message of ws) {
      await gate.promise; // a slow consumer: nothing is taken until the gate opens
      received.push((message as Uint8Array)[0]!);
      if (received.length === count) ws.close();
    }
    done.resolve();
  });
  const client = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`, { perMessageDeflate: false });
  await next(client, 'open');
  for (let i = 0; i < count; i++) client.send(new Uint8Array(size).fill(i));
  // The server reads at most a bounded number of messages (the iterator's 16, plus what one
  // read brings), then stops: most of the 48 MiB stays on the sender's side.
  const waiting = await settled(() => client.bufferedAmount);
  assert(waiting > 16 * size, `only ${waiting} bytes wait at the sender: the server kept reading`);
  const clientClosed = next(client, 'close');
  gate.resolve();
  await done.promise;
  assertEquals(received, Array.from({ length: count }, (_, i) => i));
  await clientClosed;
  await server.close();
});
