/**
 * Backpressure: bufferedAmount is what conn.write has not taken yet, and a message loop that
 * falls behind pauses reading, so the sender's data waits in its own buffers (and TCP's), not in
 * ours. Conditions are polled; no duration is asserted, and nothing is asserted that depends on
 * how much the kernel's socket buffers hold.
 */
import { assert, assertEquals } from './assert.ts';
import { type DenoConn, serve, upgrade, WebSocket } from '../src/index.ts';
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

Deno.test('bufferedAmount drops as conn.write takes bytes, not only once a whole message is written', async () => {
  // More than the kernel's socket buffers can hold once the peer stops reading (send buffer
  // plus receive buffer: 36 MiB at most here), so part of the message stays with us.
  const size = 64 * 1024 * 1024;
  const sent = Promise.withResolvers<WebSocket>();
  const server = serve({ hostname: '127.0.0.1', port: 0, closeTimeout: 200 }, (ws) => {
    ws.send(patternBytes(size));
    sent.resolve(ws);
  });
  const { conn } = await rawClient(server.addr.port);
  const ws = await sent.promise;
  // The peer reads 8 MiB and stops: those bytes were taken by conn.write, so they no longer count.
  const buffer = new Uint8Array(64 * 1024);
  let peerRead = 0;
  while (peerRead < 8 * 1024 * 1024) peerRead += (await conn.read(buffer)) ?? 0;
  await until(() => ws.bufferedAmount <= size + 10 - peerRead, `bufferedAmount (${ws.bufferedAmount}) to drop by the ${peerRead} bytes read`);
  const reading = readToEnd(conn);
  await until(() => ws.bufferedAmount === 0, 'bufferedAmount to drain');
  const closed = next(ws, 'close');
  ws.close();
  await closed;
  conn.close();
  await reading;
  await server.close();
});

/** A Conn that counts what is read from it: the server's reads, seen from outside the adapter. */
function countingReads(conn: Deno.TcpConn): { conn: DenoConn; bytesRead(): number } {
  let bytes = 0;
  return {
    conn: {
      read: async (buffer) => {
        const count = await conn.read(buffer);
        if (count !== null) bytes += count;
        return count;
      },
      write: (data) => conn.write(data),
      closeWrite: () => conn.closeWrite(),
      close: () => conn.close(),
      localAddr: conn.localAddr,
      remoteAddr: conn.remoteAddr,
      setNoDelay: (noDelay) => conn.setNoDelay(noDelay),
    },
    bytesRead: () => bytes,
  };
}

// What the sender still holds once the server pauses depends on the kernel (loopback receive
// buffers autotune up to tcp_rmem's maximum, 32 MiB here, and grow most on a busy machine), so
// this test counts what the server read instead: that is the adapter's doing alone.
Deno.test('a message loop that falls behind pauses reading: the server reads no further, then all arrives in order', async () => {
  const count = 48;
  const size = 1024 * 1024;
  /** A binary frame from the client: 2 + 8 bytes of length + 4 of mask key. */
  const frameSize = size + 14;
  const gate = Promise.withResolvers<void>();
  const received: number[] = [];
  let delivered = 0;
  let serverBytesRead = (): number => 0;
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const serverSide = (async () => {
    const counted = countingReads(await listener.accept());
    serverBytesRead = counted.bytesRead;
    const ws = await upgrade(counted.conn);
    ws.addEventListener('message', () => delivered++);
    for await (const message of ws) {
      await gate.promise; // a slow consumer: nothing is taken until the gate opens
      received.push((message as Uint8Array)[0]!);
      if (received.length === count) ws.close();
    }
  })();
  const client = new WebSocket(`ws://127.0.0.1:${listener.addr.port}/`, { perMessageDeflate: false });
  await next(client, 'open');
  for (let i = 0; i < count; i++) client.send(new Uint8Array(size).fill(i));
  // The loop holds one message and 16 wait in its queue: that is when reading pauses.
  await until(() => delivered >= 17, 'the server to deliver 17 messages');
  // A reader that did not stop would go on taking the 30 MiB the client still has to send; it
  // is given many event-loop turns to show itself (a busy machine can only shorten the window,
  // never make a correct adapter fail). Paused, the server has read the 17 messages, the rest of
  // the last read (at most 256 KiB) and the handshake: not even the 18th message in full.
  for (let turn = 0; turn < 50 && serverBytesRead() < 18 * frameSize; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals(delivered, 17, 'messages were delivered while paused');
  assert(serverBytesRead() < 18 * frameSize, `the server kept reading while paused: ${serverBytesRead()} bytes`);
  const clientClosed = next(client, 'close');
  gate.resolve();
  await serverSide;
  assertEquals(received, Array.from({ length: count }, (_, i) => i));
  await clientClosed;
  listener.close();
});
