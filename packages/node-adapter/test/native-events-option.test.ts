/**
 * The `nativeEvents` option: addEventListener and the on<type> attributes dispatch real events
 * through the runtime's EventTarget (instanceof the global Event, MessageEvent...), `{ signal }`
 * removes a listener, `{ once }` and handleEvent objects work, `this` and `event.target` are
 * the WebSocket. Without the option, the `ws` emulation stays (its own Event classes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function server(options: { nativeEvents?: boolean } = {}): Promise<{ url: string; connections: WebSocket[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  cleanup.push(() => closeServer(wss));
  const connections: WebSocket[] = [];
  wss.on('connection', (ws) => connections.push(ws));
  await next(wss, 'listening');
  return { url: `ws://127.0.0.1:${portOf(wss)}`, connections };
}

describe('nativeEvents: true', () => {
  it('delivers real Event, MessageEvent, CloseEvent instances with the WebSocket as target and this', async () => {
    const { url, connections } = await server();
    const ws = new WebSocket(url, { nativeEvents: true });
    const seen: Array<{ type: string; isEvent: boolean; target: boolean; self: boolean; detail: unknown }> = [];
    const record = function (this: unknown, event: Event): void {
      const detail =
        event.type === 'message'
          ? (event as MessageEvent).data
          : event.type === 'close'
            ? [(event as CloseEvent).code, (event as CloseEvent).reason, (event as CloseEvent).wasClean]
            : null;
      seen.push({ type: event.type, isEvent: event instanceof Event, target: (event.target as unknown) === ws && (event.currentTarget as unknown) === ws, self: this === ws, detail });
    };
    ws.addEventListener('open', record);
    ws.addEventListener('message', record);
    ws.addEventListener('close', record);
    let messageEvent: unknown;
    ws.onmessage = (event) => (messageEvent = event);
    await next(ws, 'open');
    await expect.poll(() => connections.length).toBe(1);
    connections[0]!.send('text ✓');
    connections[0]!.send(Buffer.from([7, 8]));
    await expect.poll(() => seen.filter((entry) => entry.type === 'message').length).toBe(2);
    expect(messageEvent).toBeInstanceOf(MessageEvent);
    connections[0]!.close(4003, 'over');
    await next(ws, 'close');
    expect(seen).toEqual([
      { type: 'open', isEvent: true, target: true, self: true, detail: null },
      { type: 'message', isEvent: true, target: true, self: true, detail: 'text ✓' },
      { type: 'message', isEvent: true, target: true, self: true, detail: Buffer.from([7, 8]) },
      { type: 'close', isEvent: true, target: true, self: true, detail: [4003, 'over', true] },
    ]);
  });

  it('{ signal } removes a listener when aborted; { once } fires once; handleEvent objects and removeEventListener work', async () => {
    const { url, connections } = await server();
    const ws = new WebSocket(url, { nativeEvents: true });
    await next(ws, 'open');
    await expect.poll(() => connections.length).toBe(1);
    const controller = new AbortController();
    const calls: string[] = [];
    ws.addEventListener('message', (event) => calls.push(`signal ${String(event.data)}`), { signal: controller.signal });
    ws.addEventListener('message', (event) => calls.push(`once ${String(event.data)}`), { once: true });
    const object = { handleEvent: (event: MessageEvent) => calls.push(`object ${String(event.data)}`) };
    ws.addEventListener('message', object);
    ws.addEventListener('message', object); // the same listener is added only once
    const removed = (): number => calls.push('removed');
    ws.addEventListener('message', removed);
    ws.removeEventListener('message', removed);

    connections[0]!.send('1');
    await expect.poll(() => calls.length).toBe(3);
    controller.abort();
    connections[0]!.send('2');
    await expect.poll(() => calls.length).toBe(4);
    expect(calls).toEqual(['signal 1', 'once 1', 'object 1', 'object 2']);
    ws.close();
    await next(ws, 'close');
  });

  it('a failed connection delivers an error event (an Event with error and message), then close 1006; server sockets take the option too', async () => {
    const { url, connections } = await server({ nativeEvents: true });
    const client = new WebSocket(url);
    await next(client, 'open');
    await expect.poll(() => connections.length).toBe(1);
    const peer = connections[0]!;
    const events: Event[] = [];
    peer.onerror = (event) => events.push(event as unknown as Event);
    peer.onclose = (event) => events.push(event as unknown as Event);
    // An unmasked frame from a client: the server fails the connection (1002).
    (client as unknown as { _socket: { write(bytes: Buffer): void } })._socket.write(Buffer.from([0x81, 0x00]));
    await expect.poll(() => events.length).toBe(2);
    const [error, close] = events as [Event & { error: Error; message: string }, Event & { code: number; wasClean: boolean }];
    expect(error).toBeInstanceOf(Event);
    expect(error.type).toBe('error');
    expect(error.error).toBeInstanceOf(Error);
    expect(error.message).toBe(error.error.message);
    expect(close).toBeInstanceOf(Event);
    expect([close.code, close.wasClean]).toEqual([1006, false]);
    expect(typeof (globalThis as { CloseEvent?: unknown }).CloseEvent !== 'function' || close instanceof (globalThis as unknown as { CloseEvent: typeof Event }).CloseEvent).toBe(true);
  });
});

describe('without the option', () => {
  it('keeps the ws emulation: events are instances of the exported classes, not of the global Event', async () => {
    const { url } = await server();
    const ws = new WebSocket(url);
    const opened = new Promise<unknown>((resolve) => ws.addEventListener('open', resolve));
    const event = await opened;
    expect(event).toBeInstanceOf(WebSocket.Event);
    expect(event instanceof Event).toBe(false);
    ws.close();
    await next(ws, 'close');
  });
});
