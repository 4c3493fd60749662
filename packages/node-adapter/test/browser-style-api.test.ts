/**
 * The browser-style API: addEventListener/removeEventListener, the on* attributes, and
 * MessageEvent/CloseEvent/ErrorEvent-shaped events; binaryType 'arraybuffer' and 'fragments'.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { CloseEvent, ErrorEvent, MessageEvent, WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function echoServer(): Promise<number> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (String(data) === 'close please') ws.close(4100, 'asked');
      else ws.send(data as Buffer, { binary: isBinary });
    });
  });
  cleanup.push(() => closeServer(server));
  await next(server, 'listening');
  return portOf(server);
}

describe('browser-style API', () => {
  it('onopen/onmessage/onclose receive Event objects; binaryType arraybuffer gives ArrayBuffers', async () => {
    const port = await echoServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => ws.terminate());
    ws.binaryType = 'arraybuffer';
    const events: unknown[] = [];
    const closed = new Promise<CloseEvent>((resolve) => {
      ws.onclose = (event) => resolve(event);
    });
    ws.onopen = (event) => {
      events.push(['open', event.type, event.target === ws]);
      ws.send(new Uint8Array([1, 2, 3]));
      ws.send('text');
    };
    ws.onmessage = (event: MessageEvent) => {
      events.push(['message', event.data instanceof ArrayBuffer ? [...new Uint8Array(event.data)] : event.data]);
      if (events.length === 3) ws.send('close please');
    };
    const close = await closed;
    expect(events).toEqual([['open', 'open', true], ['message', [1, 2, 3]], ['message', 'text']]);
    expect(close).toBeInstanceOf(CloseEvent);
    expect([close.type, close.code, close.reason, close.wasClean]).toEqual(['close', 4100, 'asked', true]);
    expect(ws.onopen).toBeTypeOf('function');
  });

  it('addEventListener adds a listener once, honours once, accepts handleEvent objects, removeEventListener removes', async () => {
    const port = await echoServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => ws.terminate());
    const seen: string[] = [];
    const listener = (event: MessageEvent) => seen.push(`fn:${String(event.data)}`);
    ws.addEventListener('message', listener);
    ws.addEventListener('message', listener); // ignored: same listener
    ws.addEventListener('message', { handleEvent: (event: MessageEvent) => seen.push(`obj:${String(event.data)}`) }, { once: true });
    await next(ws, 'open');
    ws.send('a');
    await next(ws, 'message');
    ws.removeEventListener('message', listener);
    ws.send('b');
    await next(ws, 'message');
    expect(seen).toEqual(['fn:a', 'obj:a']);
  });

  it('setting onmessage replaces the previous attribute handler; null clears it', async () => {
    const port = await echoServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => ws.terminate());
    const seen: string[] = [];
    ws.onmessage = () => seen.push('first');
    ws.onmessage = (event) => seen.push(`second:${String(event.data)}`);
    await next(ws, 'open');
    ws.send('x');
    await next(ws, 'message');
    ws.onmessage = null;
    expect(ws.onmessage).toBeNull();
    ws.send('y');
    await next(ws, 'message');
    expect(seen).toEqual(['second:x']);
  });

  it('onerror gets an ErrorEvent with the error and its message', async () => {
    const ws = new WebSocket('ws://127.0.0.1:1');
    const closed = next<[number]>(ws, 'close');
    const event = await new Promise<ErrorEvent>((resolve) => {
      ws.onerror = resolve;
    });
    expect(event).toBeInstanceOf(ErrorEvent);
    expect(event.message).toMatch(/ECONNREFUSED/);
    expect((event.error as Error & { code?: string }).code).toBe('ECONNREFUSED');
    expect((await closed)[0]).toBe(1006);
  });

  it("binaryType 'fragments' gives an array of Buffers; 'nodebuffer' a Buffer; invalid values are ignored", async () => {
    const port = await echoServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => ws.terminate());
    await next(ws, 'open');
    ws.binaryType = 'fragments';
    ws.binaryType = 'bogus' as 'fragments';
    expect(ws.binaryType).toBe('fragments');
    ws.send(Buffer.from('frag'));
    const [fragments] = await next<[Buffer[]]>(ws, 'message');
    expect(Array.isArray(fragments)).toBe(true);
    expect(Buffer.concat(fragments).toString()).toBe('frag');
    ws.binaryType = 'nodebuffer';
    ws.send(new DataView(new Uint8Array([5, 6]).buffer));
    const [buffer] = await next<[Buffer]>(ws, 'message');
    expect(Buffer.isBuffer(buffer) && [...buffer]).toEqual([5, 6]);
  });
});
