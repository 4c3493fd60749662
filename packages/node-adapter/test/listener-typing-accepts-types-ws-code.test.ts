/**
 * Listener typing: code that compiles against `@types/ws` compiles against `@sansock/node`.
 * The listener calls below are checked by `tsc -p test/tsconfig.json` (part of `pnpm typecheck`,
 * which the root `pnpm test` runs): without the catch-all overload in listener-types.ts, the
 * `resolve` and `(data: Buffer)` listeners do not compile. The `@ts-expect-error` lines prove the
 * typed overload still wins for untyped listener parameters. At run time the same listeners see
 * the values a `ws` user expects over a real connection.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function echoServer(): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  // A Promise's `resolve` takes a value; ws's typings accept it as a 'listening' listener.
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    // Untyped parameters get the event's types from the typed overload.
    const url: string | undefined = request.url;
    socket.send(`hello ${url ?? ''}`);
    // Parameters annotated more narrowly than the event's union, as @types/ws users write them.
    socket.on('message', (data: Buffer, isBinary: boolean) => socket.send(data, { binary: isBinary }));
  });
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/typed` };
}

describe('listener typing as permissive as @types/ws', () => {
  it('accepts Promise resolvers, narrower parameter annotations and unknown event names', async () => {
    const { url } = await echoServer();
    const ws = new WebSocket(url);
    const upgrade = new Promise<IncomingMessage>((resolve) => ws.once('upgrade', resolve));
    // The greeting can arrive in the same read as the 101 response: listen before 'open'.
    const greeting = new Promise<Buffer>((resolve) => ws.once('message', (data: Buffer) => resolve(data)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect((await upgrade).statusCode).toBe(101);

    expect((await greeting).toString()).toBe('hello /typed');

    ws.send('echo me');
    const [echoed, isBinary] = await new Promise<[Buffer, boolean]>((resolve) =>
      ws.once('message', function (this: WebSocket, data, binary) {
        // `this` is the socket, `data` is RawData, `binary` is boolean (typed overload).
        expect(this).toBe(ws);
        // @ts-expect-error RawData is not a string: the typed overload gave `data` its type
        const asString: string = data;
        // @ts-expect-error the second argument of 'message' is a boolean
        const asNumber: number = binary;
        void [asString, asNumber];
        resolve([data as Buffer, binary]);
      }),
    );
    expect([echoed.toString(), isBinary]).toEqual(['echo me', false]);

    // Event names outside the map (plugins, custom emits) are allowed, as with @types/ws.
    const custom = new Promise((resolve) => ws.on('custom-event', resolve));
    ws.emit('custom-event' as 'open');
    await custom;

    const closed = new Promise<[number, Buffer]>((resolve) => ws.once('close', (code, reason) => resolve([code, reason])));
    ws.close(4321, 'typed bye');
    const [code, reason] = await closed;
    expect([code, reason.toString()]).toEqual([4321, 'typed bye']);
  });

  it('removes a listener added through the catch-all overload', () => {
    const ws = new WebSocket('ws://127.0.0.1:1', { handshakeTimeout: 1 });
    ws.on('error', () => {});
    const listener = (value: unknown): void => void value;
    ws.on('pong', listener).off('pong', listener);
    ws.addListener('ping', listener).removeListener('ping', listener);
    ws.prependListener('open', listener).prependOnceListener('open', listener);
    expect(ws.listenerCount('pong')).toBe(0);
    expect(ws.listenerCount('ping')).toBe(0);
    expect(ws.listenerCount('open')).toBe(2);
    ws.terminate();
  });
});
