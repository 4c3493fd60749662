/**
 * Bad input and faults (the core decides; the adapter must not buffer around it): oversized
 * frames and messages (1009), invalid UTF-8 (1007), bad close codes (1002), deflate bombs
 * (1009) big and small, compressed data that does not inflate (1007), half-sent and slow handshakes (408 after the server's handshake timeout), a peer that
 * resets mid-message, and peers that never finish the closing handshake (close timeout).
 * Time is never asserted; the timeouts are short only so the tests end soon.
 */
import { assert, assertEquals } from './assert.ts';
import { serve, type WebSocket, WebSocket as Client } from '../src/index.ts';
import { next } from './helpers.ts';
import { OPCODE, closePayload, deflateRaw, firstCloseCode, frame, rawClient, rawServer, readToEnd, writeAll } from './raw-peer.ts';

/** A server that records each socket's close event and error code. */
function recordingServer(options: Partial<Parameters<typeof serve>[0]> = {}, greeting?: string) {
  const closes: Array<{ code: number; wasClean: boolean; error?: string }> = [];
  const messages: unknown[] = [];
  const closed = Promise.withResolvers<void>();
  const handshakeErrors: Error[] = [];
  const server = serve(
    { hostname: '127.0.0.1', port: 0, onHandshakeError: (error) => handshakeErrors.push(error), ...options },
    (ws: WebSocket) => {
      let error: string | undefined;
      ws.onerror = (event) => (error = ((event as ErrorEvent).error as { code?: string }).code);
      ws.onmessage = (event) => messages.push(event.data);
      if (greeting !== undefined) ws.send(greeting);
      ws.onclose = (event) => {
        closes.push({ code: event.code, wasClean: event.wasClean, error });
        closed.resolve();
      };
    },
  );
  return { server, closes, messages, closed: closed.promise, handshakeErrors };
}

async function expectServerCloses(bytes: Uint8Array, expected: number, options: Partial<Parameters<typeof serve>[0]> = {}, extraHeaders = '') {
  const { server, closes, messages, closed } = recordingServer(options);
  const { conn, head } = await rawClient(server.addr.port, extraHeaders);
  assert(head.startsWith('HTTP/1.1 101'), head);
  await writeAll(conn, bytes);
  const output = await readToEnd(conn);
  conn.close();
  await closed;
  assertEquals(firstCloseCode(output), expected);
  assertEquals(messages.length, 0);
  await server.close();
  return closes[0]!;
}

Deno.test('a frame longer than maxPayload: 1009 from its header alone', async () => {
  // Only the header is sent: the limit is checked before any payload is buffered.
  const header = frame(OPCODE.BINARY, new Uint8Array(0), { declaredLength: 1_000_000 });
  const close = await expectServerCloses(header, 1009, { maxPayload: 1024 });
  assertEquals(close.error, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
});

Deno.test('a message over maxPayload across fragments: 1009', async () => {
  const piece = new Uint8Array(600);
  const bytes = [frame(OPCODE.BINARY, piece, { fin: false }), frame(OPCODE.CONTINUATION, piece, { fin: false })];
  await expectServerCloses(new Uint8Array([...bytes[0]!, ...bytes[1]!]), 1009, { maxPayload: 1024 });
});

Deno.test('a message that never ends in one-byte fragments: 1009 at the default fragment cap (131,072)', async () => {
  // A text frame with FIN=0, then one-byte continuations (CVE-2026-48779 shape): 200,000 frames.
  const first = frame(OPCODE.TEXT, new Uint8Array([0x61]), { fin: false });
  const next = frame(OPCODE.CONTINUATION, new Uint8Array([0x61]), { fin: false });
  const bytes = new Uint8Array(first.length + 199_999 * next.length);
  bytes.set(first, 0);
  for (let i = 0, at = first.length; i < 199_999; i++, at += next.length) bytes.set(next, at);
  const close = await expectServerCloses(bytes, 1009);
  assertEquals(close.error, 'WS_ERR_TOO_MANY_BUFFERED_PARTS');
});

Deno.test('invalid UTF-8 in a text message: 1007', async () => {
  const close = await expectServerCloses(frame(OPCODE.TEXT, Uint8Array.of(0x68, 0xed, 0xa0, 0x80)), 1007);
  assertEquals(close.error, 'WS_ERR_INVALID_UTF8');
});

Deno.test('a close frame with a code that may not be sent: 1002', async () => {
  await expectServerCloses(frame(OPCODE.CLOSE, closePayload(1005)), 1002);
  await expectServerCloses(frame(OPCODE.CLOSE, closePayload(999)), 1002);
});

Deno.test('a deflate bomb: 1009 once the inflated size passes maxPayload', async () => {
  const bomb = await deflateRaw(new Uint8Array(32 * 1024 * 1024));
  assert(bomb.length < 64 * 1024);
  const close = await expectServerCloses(frame(OPCODE.BINARY, bomb, { rsv1: true }), 1009, { maxPayload: 1024 * 1024, perMessageDeflate: true }, 'Sec-WebSocket-Extensions: permessage-deflate\r\n');
  assertEquals(close.error, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
});

Deno.test('a small deflate bomb (1 MiB of zeros in about 1 KiB, inflated synchronously): 1009 at maxPayload', async () => {
  const bomb = await deflateRaw(new Uint8Array(1024 * 1024));
  assert(bomb.length < 16 * 1024); // within the synchronous bound of the zlib codec
  const close = await expectServerCloses(frame(OPCODE.BINARY, bomb, { rsv1: true }), 1009, { maxPayload: 64 * 1024, perMessageDeflate: true }, 'Sec-WebSocket-Extensions: permessage-deflate\r\n');
  assertEquals(close.error, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
});

Deno.test('compressed data that does not inflate: 1007', async () => {
  // RSV1 + binary: a back-reference before the start of the stream (zlib: invalid distance).
  const corrupt = frame(OPCODE.BINARY, Uint8Array.of(0x22, 0xfa, 0xec, 0x78), { rsv1: true });
  const close = await expectServerCloses(corrupt, 1007, { perMessageDeflate: true }, 'Sec-WebSocket-Extensions: permessage-deflate\r\n');
  assertEquals(close.error, 'WS_ERR_INVALID_COMPRESSED_DATA');
});

Deno.test('compressed data that does not inflate, over 16 KiB (inflated on the thread pool): 1007', async () => {
  // Deno's zlib calls a write back before it reports the error: the codec must still fail.
  const payload = new Uint8Array(20 * 1024);
  payload.set([0x22, 0xfa, 0xec, 0x78]);
  const corrupt = frame(OPCODE.BINARY, payload, { rsv1: true });
  const close = await expectServerCloses(corrupt, 1007, { perMessageDeflate: true }, 'Sec-WebSocket-Extensions: permessage-deflate\r\n');
  assertEquals(close.error, 'WS_ERR_INVALID_COMPRESSED_DATA');
});

Deno.test('a half-sent handshake: 408 after the server handshake timeout, and the connection closed', async () => {
  const { server, handshakeErrors } = recordingServer({ handshakeTimeout: 200 });
  const conn = await Deno.connect({ hostname: '127.0.0.1', port: server.addr.port });
  await writeAll(conn, new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: web'));
  const response = new TextDecoder().decode(await readToEnd(conn));
  conn.close();
  assert(response.startsWith('HTTP/1.1 408'), response);
  await server.close();
  assertEquals(handshakeErrors.map((error) => (error as { code?: string }).code), ['WS_ERR_HANDSHAKE_TIMEOUT']);
});

Deno.test('a slow handshake (one byte at a time) gets the same 408: the timeout is for the whole head', async () => {
  const { server, handshakeErrors } = recordingServer({ handshakeTimeout: 300 });
  const conn = await Deno.connect({ hostname: '127.0.0.1', port: server.addr.port });
  const head = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n');
  let sent = 0;
  const reading = readToEnd(conn);
  try {
    // Each byte alone is progress; stop once the server has given up (the write fails).
    for (; sent < head.length; sent++) {
      await writeAll(conn, head.subarray(sent, sent + 1));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch {
    // The server closed the connection.
  }
  const response = new TextDecoder().decode(await reading);
  conn.close();
  assert(response.startsWith('HTTP/1.1 408'), response);
  assert(sent < head.length, 'the whole head trickled through before the timeout');
  await server.close();
  assertEquals(handshakeErrors.length, 1);
});

Deno.test('a peer that resets mid-message: 1006, no message, nothing left open', async () => {
  const { server, closes, messages, closed } = recordingServer({}, 'unread');
  const { conn } = await rawClient(server.addr.port);
  // Let the greeting arrive unread: closing with unread input makes the kernel send RST, not FIN.
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Half of a 64 KiB frame, then gone without a close frame.
  await writeAll(conn, frame(OPCODE.BINARY, new Uint8Array(65536)).subarray(0, 30000));
  conn.close();
  await closed;
  assertEquals([closes[0]!.code, closes[0]!.wasClean, messages.length], [1006, false, 0]);
  await server.close();
});

Deno.test('server: a client that never answers our close frame is dropped after closeTimeout', async () => {
  const closed = Promise.withResolvers<CloseEvent>();
  const server = serve({ hostname: '127.0.0.1', port: 0, closeTimeout: 200 }, (ws) => {
    ws.onclose = (event) => closed.resolve(event);
    ws.close(1000, 'bye');
  });
  const { conn } = await rawClient(server.addr.port);
  // Read (so the close frame arrives) but never answer it.
  const output = await readToEnd(conn);
  conn.close();
  const event = await closed.promise;
  assertEquals(firstCloseCode(output), 1000);
  assertEquals([event.code, event.wasClean], [1006, false]);
  await server.close();
});

Deno.test('client: a server that never answers our close frame is dropped after closeTimeout', async () => {
  const fake = await rawServer();
  const ws = new Client(`ws://127.0.0.1:${fake.port}/`, { closeTimeout: 200, perMessageDeflate: false });
  const serverConn = await fake.accept();
  await next(ws, 'open');
  const closed = next<CloseEvent>(ws, 'close');
  ws.close(1000);
  const output = await readToEnd(serverConn);
  serverConn.close();
  const event = await closed;
  assertEquals(firstCloseCode(output), 1000);
  assertEquals([event.code, event.wasClean], [1006, false]);
  fake.close();
});

Deno.test('client: a masked frame from the server is a protocol error (1002)', async () => {
  const fake = await rawServer();
  const ws = new Client(`ws://127.0.0.1:${fake.port}/`, { perMessageDeflate: false });
  const serverConn = await fake.accept();
  await next(ws, 'open');
  const closed = next<CloseEvent>(ws, 'close');
  await writeAll(serverConn, frame(OPCODE.TEXT, 'masked', { mask: true }));
  // The client fails the connection: its close frame says 1002, then it waits for our TCP close.
  const output = await readToEnd(serverConn);
  serverConn.close();
  assertEquals(firstCloseCode(output), 1002);
  assertEquals((await closed).code, 1006);
  fake.close();
});

Deno.test('client: handshakeTimeout when the server never answers', async () => {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const ws = new Client(`ws://127.0.0.1:${listener.addr.port}/`, { handshakeTimeout: 200 });
  const conn = await listener.accept();
  const error = next<ErrorEvent>(ws, 'error');
  const closed = next<CloseEvent>(ws, 'close');
  assertEquals(((await error).error as { code?: string }).code, 'WS_ERR_HANDSHAKE_TIMEOUT');
  assertEquals((await closed).code, 1006);
  await readToEnd(conn);
  conn.close();
  listener.close();
});
