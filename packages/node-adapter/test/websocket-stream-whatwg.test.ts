/**
 * The WHATWG WebSocketStream over real sockets, against our server and `ws`'s: messages both
 * ways through `readable`/`writable`, `opened`/`closed`, close codes and their checks, abort
 * through the signal, failures as WebSocketError, and backpressure both ways (a reader that
 * does not read stops the socket being read; `writer.ready` waits past the send high-water mark).
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import SansockWebSocket, { WebSocketError, WebSocketServer, WebSocketStream } from '@sansock/node';
import { delay, next, portOf } from './helpers.js';

const MiB = 1024 * 1024;

interface ServerSide extends NodeJS.EventEmitter {
  readonly bufferedAmount: number;
  send(data: unknown, callback?: (error?: Error) => void): unknown;
  close(code?: number, reason?: string): void;
  terminate(): void;
  pause(): void;
  resume(): void;
}
interface AnyServer extends NodeJS.EventEmitter {
  address(): AddressInfo | string | null;
  close(callback?: () => void): void;
  clients: Set<{ terminate(): void }>;
}
type ServerCtor = new (options: Record<string, unknown>) => AnyServer;

const servers: Array<{ name: string; Server: ServerCtor }> = [
  { name: 'our server', Server: WebSocketServer as unknown as ServerCtor },
  { name: "ws's server", Server: wsPackage.WebSocketServer as unknown as ServerCtor },
];

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function listen(Server: ServerCtor, options: Record<string, unknown> = {}): Promise<{ url: string; connections: ServerSide[]; server: AnyServer }> {
  const server = new Server({ port: 0, host: '127.0.0.1', ...options });
  const connections: ServerSide[] = [];
  server.on('connection', (ws: ServerSide) => connections.push(ws));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  await next(server, 'listening');
  return { url: `ws://127.0.0.1:${portOf(server)}/`, connections, server };
}

/** An echo server that answers a close with the same code and reason (both ws and ours do). */
function echo(server: AnyServer): void {
  server.on('connection', (ws: ServerSide) => ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(isBinary ? data : data.toString())));
}

describe.each(servers)('WebSocketStream against $name', ({ Server }) => {
  it('opens with protocol and extensions, echoes text as strings and bytes as Uint8Array, and closes with a code', async () => {
    const { url, server } = await listen(Server, { perMessageDeflate: true, handleProtocols: (protocols: Set<string>) => [...protocols].at(-1) });
    echo(server);
    const closes: Array<[number, string]> = [];
    server.on('connection', (ws: ServerSide) => ws.on('close', (code: number, reason: Buffer) => closes.push([code, reason.toString()])));
    const wss = new WebSocketStream(url, { protocols: ['chat', 'superchat'] });
    expect(wss.url).toBe(url);
    const { readable, writable, protocol, extensions } = await wss.opened;
    expect(protocol).toBe('superchat');
    expect(extensions).toContain('permessage-deflate');
    const writer = writable.getWriter();
    const reader = readable.getReader();
    await writer.write('héllo');
    await writer.write(new Uint8Array([1, 2, 3]));
    await writer.write(new Uint16Array([0x0201]).buffer);
    const first = await reader.read();
    const second = await reader.read();
    const third = await reader.read();
    expect(first.value).toBe('héllo');
    expect(second.value).toBeInstanceOf(Uint8Array);
    expect([...(second.value as Uint8Array)]).toEqual([1, 2, 3]);
    expect([...(third.value as Uint8Array)]).toEqual([1, 2]);
    // Not a string nor bytes: a TypeError, and the writable errors (as any stream's does).
    await expect(writer.write(42 as unknown as string)).rejects.toThrow(TypeError);
    wss.close({ closeCode: 4000, reason: 'done ✓' });
    expect(await wss.closed).toEqual({ closeCode: 4000, reason: 'done ✓' });
    // The reader ends cleanly.
    expect(await reader.read()).toEqual({ value: undefined, done: true });
    await expect.poll(() => closes).toEqual([[4000, 'done ✓']]);
  });

  it('close() without a code sends none (1005); a reason alone means 1000; bad close info throws as the standard says', async () => {
    const { url, server } = await listen(Server);
    echo(server);
    const plain = new WebSocketStream(url);
    await plain.opened;
    expect(() => plain.close(true as unknown as undefined)).toThrow(TypeError);
    const invalidCode = (() => {
      try {
        plain.close({ closeCode: 1001 });
      } catch (error) {
        return error;
      }
    })();
    expect(invalidCode).toBeInstanceOf(DOMException);
    expect((invalidCode as DOMException).name).toBe('InvalidAccessError');
    expect(() => plain.close({ reason: 'x'.repeat(124) })).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    plain.close();
    expect(await plain.closed).toEqual({ closeCode: 1005, reason: '' });

    const withReason = new WebSocketStream(url);
    await withReason.opened;
    withReason.close({ reason: 'only a reason' });
    expect(await withReason.closed).toEqual({ closeCode: 1000, reason: 'only a reason' });
  });

  it('writer.close() is a clean close; abort(WebSocketError) sends its code; readable.cancel() closes too', async () => {
    const { url, server } = await listen(Server);
    echo(server);
    const closes: Array<[number, string]> = [];
    server.on('connection', (ws: ServerSide) => ws.on('close', (code: number, reason: Buffer) => closes.push([code, reason.toString()])));

    const a = new WebSocketStream(url);
    const { writable: writableA } = await a.opened;
    await writableA.getWriter().close();
    expect(await a.closed).toEqual({ closeCode: 1005, reason: '' });

    const b = new WebSocketStream(url);
    const { writable: writableB } = await b.opened;
    await writableB.abort(new WebSocketError('leaving', { closeCode: 4001, reason: 'bye' }));
    expect(await b.closed).toEqual({ closeCode: 4001, reason: 'bye' });

    const c = new WebSocketStream(url);
    const { readable: readableC } = await c.opened;
    await readableC.cancel(new Error('not a WebSocketError: no code'));
    expect(await c.closed).toEqual({ closeCode: 1005, reason: '' });
    await expect.poll(() => closes.length).toBe(3);
    expect(closes).toEqual([
      [1005, ''],
      [4001, 'bye'],
      [1005, ''],
    ]);
  });

  it('a dropped connection rejects closed with a WebSocketError (1006) and errors the readable', async () => {
    const { url, connections } = await listen(Server);
    const wss = new WebSocketStream(url);
    const { readable } = await wss.opened;
    await expect.poll(() => connections.length).toBe(1);
    connections[0]!.terminate();
    const error = await wss.closed.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as WebSocketError).name).toBe('WebSocketError');
    expect((error as WebSocketError).closeCode).toBe(1006);
    await expect(readable.getReader().read()).rejects.toBe(error);
  });

  it('a reader that does not read stops the socket being read: the server is held back, then gets everything through', async () => {
    const { url, connections } = await listen(Server);
    const wss = new WebSocketStream(url, { readableHighWaterMark: MiB });
    const { readable } = await wss.opened;
    await expect.poll(() => connections.length).toBe(1);
    const peer = connections[0]!;
    const TOTAL = 128 * MiB;
    const CHUNK = MiB;
    const chunk = Buffer.alloc(CHUNK, 9);
    for (let sent = 0; sent < TOTAL; sent += CHUNK) peer.send(chunk);
    // Nobody reads: TCP fills up and most of it stays queued at the server.
    await expect.poll(() => peer.bufferedAmount > 64 * MiB, { timeout: 30_000, interval: 20 }).toBe(true);
    const queued = peer.bufferedAmount;
    await delay(100);
    expect(peer.bufferedAmount).toBeGreaterThan(queued - 8 * MiB);
    let received = 0;
    for await (const message of readable) {
      received += (message as Uint8Array).byteLength;
      if (received === TOTAL) break;
    }
    expect(received).toBe(TOTAL);
  }, 90_000);
});

describe('WebSocketStream (client specifics)', () => {
  it('writer.ready waits once bufferedAmount is past sendHighWaterMark, while the peer does not read', async () => {
    const { url, connections } = await listen(WebSocketServer as unknown as ServerCtor);
    const wss = new WebSocketStream(url, { sendHighWaterMark: MiB, perMessageDeflate: false });
    const { writable } = await wss.opened;
    await expect.poll(() => connections.length).toBe(1);
    const peer = connections[0]!;
    peer.pause();
    let received = 0;
    peer.on('message', (data: Buffer) => (received += data.length));
    const writer = writable.getWriter();
    const TOTAL = 64 * MiB;
    const CHUNK = 256 * 1024;
    let written = 0;
    const writing = (async () => {
      while (written < TOTAL) {
        await writer.ready;
        void writer.write(new Uint8Array(CHUNK));
        written += CHUNK;
      }
    })();
    await expect.poll(() => written > 0 && written < TOTAL, { timeout: 30_000 }).toBe(true);
    // The peer reads nothing: writing stalls with at most the kernel's buffers plus about the mark queued.
    let stalledAt = -1;
    await expect
      .poll(
        async () => {
          const before = written;
          await delay(50);
          stalledAt = written;
          return written === before;
        },
        { timeout: 30_000, interval: 0 },
      )
      .toBe(true);
    expect(stalledAt).toBeLessThan(TOTAL);
    peer.resume();
    await writing;
    await expect.poll(() => received, { timeout: 60_000 }).toBe(TOTAL);
    wss.close();
    await wss.closed;
  }, 90_000);

  it('a signal aborted before the constructor rejects opened and closed with its reason, and nothing connects', async () => {
    const { url, server } = await listen(WebSocketServer as unknown as ServerCtor);
    let connections = 0;
    server.on('connection', () => connections++);
    const controller = new AbortController();
    controller.abort();
    const wss = new WebSocketStream(url, { signal: controller.signal });
    await expect(wss.opened).rejects.toMatchObject({ name: 'AbortError' });
    await expect(wss.closed).rejects.toMatchObject({ name: 'AbortError' });
    await delay(50);
    expect(connections).toBe(0);
  });

  it('aborting during the handshake rejects both with the reason; aborting after open does nothing', async () => {
    // A server that holds the handshake until told.
    let release: (() => void) | undefined;
    const { url } = await listen(WebSocketServer as unknown as ServerCtor, {
      verifyClient: (_info: unknown, done: (ok: boolean) => void) => {
        release = () => done(true);
      },
    });
    const controller = new AbortController();
    const wss = new WebSocketStream(url, { signal: controller.signal });
    await expect.poll(() => release !== undefined).toBe(true);
    const reason = new Error('changed my mind');
    controller.abort(reason);
    await expect(wss.opened).rejects.toBe(reason);
    await expect(wss.closed).rejects.toBe(reason);
    release!();

    const late = new AbortController();
    release = undefined;
    const second = new WebSocketStream(url, { signal: late.signal });
    await expect.poll(() => release !== undefined).toBe(true);
    release!();
    await second.opened;
    late.abort();
    second.close({ closeCode: 1000 });
    expect(await second.closed).toEqual({ closeCode: 1000, reason: '' });
  });

  it('a refused connection rejects opened and closed with a WebSocketError; a bad URL throws a SyntaxError DOMException', async () => {
    const { url, server } = await listen(WebSocketServer as unknown as ServerCtor);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const wss = new WebSocketStream(url);
    await expect(wss.opened).rejects.toBeInstanceOf(WebSocketError);
    await expect(wss.closed).rejects.toMatchObject({ closeCode: 1006 });
    expect(() => new WebSocketStream('ftp://example.com/')).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });

  it('close() during the handshake rejects opened and closed', async () => {
    const { url } = await listen(WebSocketServer as unknown as ServerCtor, {
      verifyClient: (_info: unknown, done: (ok: boolean) => void) => setTimeout(() => done(true), 50),
    });
    const wss = new WebSocketStream(url);
    wss.close();
    await expect(wss.opened).rejects.toBeInstanceOf(WebSocketError);
    await expect(wss.closed).rejects.toBeInstanceOf(WebSocketError);
  });

  it('WebSocketError checks its close info like close() does', () => {
    expect(new WebSocketError('m', { reason: 'r' })).toMatchObject({ message: 'm', closeCode: 1000, reason: 'r', name: 'WebSocketError' });
    expect(new WebSocketError()).toMatchObject({ closeCode: null, reason: '' });
    expect(() => new WebSocketError('', { closeCode: 1006 })).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
  });
});

describe('WebSocketStream.fromWebSocket: the server side', () => {
  it("serves a ws client through streams: what it writes comes back upper-cased, and it sees the server's close", async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.on('connection', async (ws) => {
      const stream = WebSocketStream.fromWebSocket(ws);
      const { readable, writable } = await stream.opened;
      const writer = writable.getWriter();
      // preventCancel: leaving the loop must not close the connection (a cancel would, with no code).
      for await (const message of readable.values({ preventCancel: true })) {
        if (message === 'bye') break;
        await writer.write(String(message).toUpperCase());
      }
      stream.close({ closeCode: 4002, reason: 'served' });
    });
    await next(server, 'listening');
    const client = new wsPackage.WebSocket(`ws://127.0.0.1:${portOf(server)}`);
    const messages: string[] = [];
    client.on('message', (data) => messages.push(String(data)));
    await next(client, 'open');
    client.send('one');
    client.send('two');
    await expect.poll(() => messages).toEqual(['ONE', 'TWO']);
    client.send('bye');
    const [code, reason] = await next<[number, Buffer]>(client, 'close');
    expect([code, String(reason)]).toEqual([4002, 'served']);
  });
});

describe('for await (const message of ws)', () => {
  it('yields text as strings and binary as Buffers, and ends when the connection closes', async () => {
    const { url, server } = await listen(wsPackage.WebSocketServer as unknown as ServerCtor);
    server.on('connection', (ws: ServerSide) => {
      ws.send('a');
      ws.send(Buffer.from([1, 2]));
      ws.send('c');
      ws.close(1000);
    });
    const ws = new SansockWebSocket(url);
    const seen: unknown[] = [];
    for await (const message of ws) seen.push(message);
    expect(seen).toEqual(['a', Buffer.from([1, 2]), 'c']);
  });

  it('a loop that does not take messages pauses the socket; a failed connection throws its error', async () => {
    const { url, connections } = await listen(WebSocketServer as unknown as ServerCtor);
    const ws = new SansockWebSocket(url);
    const iterator = ws[Symbol.asyncIterator]();
    await next(ws, 'open');
    await expect.poll(() => connections.length).toBe(1);
    connections[0]!.send('first');
    connections[0]!.send('second');
    await expect.poll(() => ws.isPaused).toBe(true);
    expect(await iterator.next()).toEqual({ value: 'first', done: false });
    expect(await iterator.next()).toEqual({ value: 'second', done: false });
    expect(ws.isPaused).toBe(false);
    // A frame with RSV2 set: the client fails the connection (1002) and the loop throws.
    (connections[0] as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0xa1, 0x00]));
    const failure = await iterator.next().then(
      () => null,
      (error: unknown) => error as { code: string; closeCode: number },
    );
    expect([failure?.code, failure?.closeCode]).toEqual(['WS_ERR_UNEXPECTED_RSV_2_3', 1002]);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('break stops listening and does not close the connection', async () => {
    const { url, connections } = await listen(WebSocketServer as unknown as ServerCtor);
    const ws = new SansockWebSocket(url);
    await next(ws, 'open');
    await expect.poll(() => connections.length).toBe(1);
    connections[0]!.send('one');
    connections[0]!.send('two');
    for await (const message of ws) {
      expect(message).toBe('one');
      break;
    }
    expect(ws.readyState).toBe(SansockWebSocket.OPEN);
    expect(ws.listenerCount('message')).toBe(0);
    expect(ws.isPaused).toBe(false);
    ws.close();
    await next(ws, 'close');
  });
});
