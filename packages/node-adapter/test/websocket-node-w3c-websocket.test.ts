/**
 * W3CWebSocket from @sansock/node/websocket-node against our ws-style server (@sansock/node's
 * WebSocketServer): open, text and binary (ArrayBuffer) messages, close codes, onX handlers
 * and addEventListener, a failed connection, and close() while connecting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from '@sansock/node';
import { type ICloseEvent, type IMessageEvent, w3cwebsocket as W3CWebSocket } from '@sansock/node/websocket-node';
import { closeServer, next, portOf } from './helpers.js';

let server: WebSocketServer | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function echoServer(): Promise<string> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary && String(data) === 'close me') ws.close(4000, 'as asked');
      else ws.send(data, { binary: isBinary });
    });
  });
  await next(server, 'listening');
  return `ws://127.0.0.1:${portOf(server)}/`;
}

function event<E extends Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as E), { once: true }));
}

describe('W3CWebSocket ↔ our ws-style server', () => {
  it('opens with the protocol, echoes text and binary, and closes cleanly', async () => {
    const url = await echoServer();
    const socket = new W3CWebSocket(url, 'echo-protocol');
    expect(socket.readyState).toBe(W3CWebSocket.CONNECTING);
    expect(socket.binaryType).toBe('arraybuffer');
    const opened = new Promise<void>((resolve) => (socket.onopen = () => resolve()));
    await opened;
    expect(socket.readyState).toBe(socket.OPEN);
    expect(socket.protocol).toBe('echo-protocol');
    expect(socket.url).toBe(url);

    const messages: Array<string | ArrayBuffer> = [];
    const two = new Promise<void>((resolve) => {
      socket.onmessage = (e: IMessageEvent) => {
        messages.push(e.data);
        if (messages.length === 2) resolve();
      };
    });
    socket.send('text');
    socket.send(new Uint8Array([1, 2, 3]));
    await two;
    expect(messages[0]).toBe('text');
    expect(messages[1]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(messages[1] as ArrayBuffer)]).toEqual([1, 2, 3]);

    const closed = event<ICloseEvent>(socket, 'close');
    socket.close();
    expect(socket.readyState).toBe(socket.CLOSING);
    const e = await closed;
    expect([e.code, e.wasClean]).toEqual([1000, true]);
    expect(socket.readyState).toBe(socket.CLOSED);
    expect(() => socket.send('late')).toThrow('cannot call send() while not connected');
  });

  it('reports the server close code and reason', async () => {
    const url = await echoServer();
    const socket = new W3CWebSocket(url);
    await event(socket, 'open');
    let handlerSaw: number | undefined;
    socket.onclose = (e: ICloseEvent) => (handlerSaw = e.code);
    const closed = event<ICloseEvent>(socket, 'close');
    socket.send('close me');
    const e = await closed;
    expect([e.code, e.reason, e.wasClean]).toEqual([4000, 'as asked', false]);
    expect(handlerSaw).toBe(4000);
  });

  it('a refused connection fires error then close 1006; close() while connecting does the same', async () => {
    const url = await echoServer();
    await closeServer(server!);
    server = undefined;
    const socket = new W3CWebSocket(url);
    const order: string[] = [];
    socket.onerror = () => order.push('error');
    const closed = event<ICloseEvent>(socket, 'close');
    const e = await closed;
    order.push('close');
    expect(order).toEqual(['error', 'close']);
    expect(e.code).toBe(1006);
    expect(socket.readyState).toBe(socket.CLOSED);

    const live = await echoServer();
    const early = new W3CWebSocket(live);
    const earlyClose = event<ICloseEvent>(early, 'close');
    early.close();
    expect((await earlyClose).code).toBe(1006);
    expect(() => (early.binaryType = 'blob' as 'arraybuffer')).toThrow(SyntaxError);
  });
});
