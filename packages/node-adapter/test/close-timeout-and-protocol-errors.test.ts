/**
 * Close paths that need a misbehaving peer (a raw TCP socket after a real handshake): a peer
 * that never answers our close frame (the close timeout destroys the socket), and a peer that
 * breaks the protocol ('error' with the WS_ERR_* code, then 'close' 1006, like `ws`).
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf, rawRequest, rawServer, upgradeRequest } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

/** Unmasks a client frame's payload (the first frame in `bytes`, short form length). */
function closeCodeOfMaskedFrame(bytes: Buffer): number {
  const length = bytes[1]! & 0x7f;
  const mask = bytes.subarray(2, 6);
  const payload = Buffer.from(bytes.subarray(6, 6 + length).map((byte, i) => byte ^ mask[i % 4]!));
  return payload.readUInt16BE(0);
}

describe('close timeout', () => {
  it('destroys the socket when the server never answers our close (client side)', async () => {
    const peer = await rawServer();
    cleanup.push(() => peer.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`, { closeTimeout: 150 });
    await next(ws, 'open');
    const closed = next<[number, Buffer]>(ws, 'close');
    ws.close(1000, 'done');
    // Not before the close timeout: a 100 ms timer set in the same tick fires first on any
    // machine (timers fire in order of their due time), so no clock reading is needed.
    const first = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 100, 'timer'))]);
    expect(first).toBe('timer');
    const [code] = await closed;
    expect(code).toBe(1006);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('destroys the socket when the client never answers our close (server side)', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', closeTimeout: 150 });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const connected = next<[WebSocket]>(server, 'connection');
    const { socket, rest } = await rawRequest(portOf(server), upgradeRequest());
    const received: Buffer[] = [rest];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const rawClosed = once(socket, 'close');
    const [ws] = await connected;
    const closed = next<[number, Buffer]>(ws, 'close');
    ws.close(4000);
    const [code] = await closed;
    expect(code).toBe(1006);
    await rawClosed;
    // What the silent client got: our close frame with 4000, unmasked (server → client).
    expect([...Buffer.concat(received)]).toEqual([0x88, 0x02, 0x0f, 0xa0]);
  });
});

describe('peer failures and early frames', () => {
  it('a TCP reset by the server: close 1006 and no error event (like ws)', async () => {
    const peer = await rawServer();
    cleanup.push(() => peer.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`);
    const errors: Error[] = [];
    ws.on('error', (error) => errors.push(error));
    await next(ws, 'open');
    const closed = next<[number, Buffer]>(ws, 'close');
    for (const socket of peer.sockets) socket.resetAndDestroy();
    const [code, reason] = await closed;
    expect([code, reason.length, errors]).toEqual([1006, 0, []]);
  });

  it('frames that arrive in the same packet as the 101 response are delivered after open (client)', async () => {
    // Two text frames ("one", "two") and a ping, written together with the handshake response.
    const frames = Buffer.from([0x81, 0x03, ...Buffer.from('one'), 0x81, 0x03, ...Buffer.from('two'), 0x89, 0x00]);
    const peer = await rawServer(() => {}, frames);
    cleanup.push(() => peer.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`);
    cleanup.push(() => ws.terminate());
    const seen: string[] = [];
    ws.on('open', () => seen.push('open'));
    ws.on('message', (data) => seen.push(String(data)));
    const pinged = next(ws, 'ping');
    ws.on('ping', () => seen.push('ping'));
    await pinged;
    expect(seen).toEqual(['open', 'one', 'two', 'ping']);
  });

  it('frames that arrive in the same packet as the upgrade request reach the connection listener (server)', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => closeServer(server));
    await next(server, 'listening');
    const received = new Promise<string>((resolve) => {
      server.on('connection', (ws) => ws.on('message', (data) => resolve(String(data))));
    });
    // A masked text frame "early" (mask key 0: the payload is unchanged), in the request's write.
    const frame = Buffer.from([0x81, 0x85, 0, 0, 0, 0, ...Buffer.from('early')]);
    const { socket } = await rawRequest(portOf(server), Buffer.concat([Buffer.from(upgradeRequest()), frame]));
    cleanup.push(() => {
      socket.destroy();
    });
    expect(await received).toBe('early');
  });
});

describe('protocol errors', () => {
  it('a masked frame from the server: error WS_ERR_UNEXPECTED_MASK, a 1002 close frame, then close 1006', async () => {
    let fromClient: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const peer = await rawServer((socket) => {
      fromClient = next<[Buffer]>(socket, 'data').then(([chunk]) => chunk);
      socket.write(Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x61 ^ 1]));
    });
    cleanup.push(() => peer.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`);
    const order: string[] = [];
    ws.on('message', () => order.push('message'));
    const errored = next<[Error & { code?: string; closeCode?: number }]>(ws, 'error');
    ws.on('error', () => order.push('error'));
    const closed = next<[number, Buffer]>(ws, 'close');
    ws.on('close', () => order.push('close'));
    const [error] = await errored;
    expect(error.code).toBe('WS_ERR_UNEXPECTED_MASK');
    expect(error.closeCode).toBe(1002);
    expect(closeCodeOfMaskedFrame(await fromClient)).toBe(1002);
    for (const socket of peer.sockets) socket.end();
    expect((await closed)[0]).toBe(1006);
    expect(order).toEqual(['error', 'close']);
  });

  it('an unmasked frame from a client: error WS_ERR_EXPECTED_MASK, then close 1006 and the socket ended', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await next(server, 'listening');
    const connected = next<[WebSocket]>(server, 'connection');
    const { socket, rest } = await rawRequest(portOf(server), upgradeRequest());
    const received: Buffer[] = [rest];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const [ws] = await connected;
    const order: string[] = [];
    ws.on('error', (error: Error & { code?: string }) => order.push(`error ${error.code}`));
    const closed = next<[number, Buffer]>(ws, 'close');
    ws.on('close', (code: number) => order.push(`close ${code}`));
    const ended = once(socket, 'end');
    socket.write(Buffer.from([0x81, 0x00]));
    await ended;
    socket.end();
    await closed;
    expect(order).toEqual(['error WS_ERR_EXPECTED_MASK', 'close 1006']);
    expect([...Buffer.concat(received)]).toEqual([0x88, 0x02, 0x03, 0xea]);
  });

  it('send before open throws like ws; close before open fails the handshake with error then close', async () => {
    const peer = await rawServer();
    cleanup.push(() => peer.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`);
    expect(() => ws.send('x')).toThrow('WebSocket is not open: readyState 0 (CONNECTING)');
    const order: string[] = [];
    ws.on('error', (error) => order.push(`error: ${error.message}`));
    const closed = next(ws, 'close');
    ws.on('close', (code) => order.push(`close ${code}`));
    ws.close();
    await closed;
    expect(order).toEqual(['error: WebSocket was closed before the connection was established', 'close 1006']);
  });

  it('rejects invalid close codes and oversized control payloads like ws', async () => {
    const peer = await rawServer();
    cleanup.push(() => peer.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`);
    cleanup.push(() => ws.terminate());
    await next(ws, 'open');
    expect(() => ws.close(1005)).toThrow(TypeError);
    expect(() => ws.close(1000, 'x'.repeat(124))).toThrow(RangeError);
    expect(() => ws.ping(Buffer.alloc(126))).toThrow(RangeError);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});
