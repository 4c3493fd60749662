/**
 * `ws` fidelity of `createWebSocketStream`, with a `ws` server as the peer: writes while
 * CONNECTING are sent on open, `end()` while connecting is not an error, the stream is
 * destroyed (and emits 'close') once both 'end' and 'finish' happened, the options reach the
 * Duplex, text is a string in readable object mode, and an unhandled stream error still throws.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { createWebSocketStream } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: wsPackage.WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server as never);
});

async function wsServer(onConnection: (peer: wsPackage.WebSocket) => void): Promise<string> {
  const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  await next(wss, 'listening');
  wss.on('connection', onConnection);
  return `ws://127.0.0.1:${portOf(wss as never)}`;
}

describe('createWebSocketStream, as ws', () => {
  it('writes made while CONNECTING are sent once open, in order', async () => {
    const received: string[] = [];
    const got = new Promise<void>((resolve) => {
      void wsServer((peer) =>
        peer.on('message', (data) => {
          received.push(String(data));
          if (received.length === 2) resolve();
        }),
      ).then((url) => {
        const ws = new WebSocket(url);
        const duplex = createWebSocketStream(ws);
        expect(ws.readyState).toBe(WebSocket.CONNECTING);
        duplex.write('first');
        duplex.write(Buffer.from('second'));
        void got.then(() => duplex.destroy());
      });
    });
    await got;
    expect(received).toEqual(['first', 'second']);
  });

  it("end() while connecting does not error: the stream finishes once open and closed, then emits 'close'", async () => {
    const url = await wsServer(() => {});
    const ws = new WebSocket(url);
    const duplex = createWebSocketStream(ws);
    const errors: Error[] = [];
    duplex.on('error', (error) => errors.push(error));
    duplex.resume();
    duplex.end();
    await once(duplex, 'finish');
    await once(duplex, 'close');
    expect(errors).toEqual([]);
    expect(duplex.destroyed).toBe(true);
  });

  it("is destroyed after 'end' and 'finish' (the peer closes first; allowHalfOpen: false and encoding reach the Duplex)", async () => {
    const url = await wsServer((peer) => {
      peer.send(Buffer.from('hi'));
      peer.close();
    });
    const duplex = createWebSocketStream(new WebSocket(url), { allowHalfOpen: false, encoding: 'utf8' });
    const chunks: unknown[] = [];
    duplex.on('data', (chunk) => chunks.push(chunk));
    await once(duplex, 'close');
    expect(chunks).toEqual(['hi']);
    expect(duplex.destroyed).toBe(true);
    expect(duplex.writableFinished).toBe(true);
  });

  it('readableObjectMode: text messages are strings, binary ones Buffers', async () => {
    const url = await wsServer((peer) => {
      peer.send('text');
      peer.send(Buffer.from('bytes'));
      peer.close();
    });
    const duplex = createWebSocketStream(new WebSocket(url), { readableObjectMode: true });
    const chunks: unknown[] = [];
    duplex.on('data', (chunk) => chunks.push(chunk));
    duplex.on('end', () => duplex.end());
    await once(duplex, 'close');
    expect(chunks[0]).toBe('text');
    expect(Buffer.isBuffer(chunks[1])).toBe(true);
  });

  it("backpressure on the writable side: write() returns false, then 'drain' once the socket took it all, as ws", async () => {
    // Our client's stream writes to a ws server until write() says stop (its 1024-byte chunks
    // outrun the socket); 'drain' follows, the end closes, and the peer got every byte.
    const chunk = Buffer.alloc(1024, 5);
    let receivedBytes = 0;
    const url = await wsServer((peer) => peer.on('message', (data: Buffer) => (receivedBytes += data.length)));
    const ws = new WebSocket(url);
    const duplex = createWebSocketStream(ws);
    duplex.resume();
    await next(ws, 'open');
    let written = 0;
    let accepted: boolean;
    do {
      accepted = duplex.write(chunk);
      written += chunk.length;
    } while (accepted);
    expect(duplex.writableNeedDrain).toBe(true);
    await once(duplex, 'drain');
    duplex.end();
    await once(duplex, 'close');
    await expect.poll(() => receivedBytes).toBe(written);
  });

  it("an 'error' nobody listens to still throws, as ws: the stream does not swallow it", async () => {
    const url = await wsServer(() => {});
    const duplex = createWebSocketStream(new WebSocket(url));
    // The stream's own listener goes after the first error; with no other, the error is re-emitted and throws.
    expect(() => duplex.emit('error', new Error('boom'))).toThrow('boom');
    expect(duplex.destroyed).toBe(true);
    // Destroyed while connecting: the aborted handshake's error follows (and would throw too).
    const aborted = next<[Error]>(duplex, 'error');
    expect((await aborted)[0].message).toBe('WebSocket was closed before the connection was established');
  });
});
