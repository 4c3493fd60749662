/**
 * Interop with Bun's own WebSocket implementation (uWebSockets inside), under `pnpm test:bun`:
 * Bun's global WebSocket client against our server, and our client against `Bun.serve`, both
 * with permessage-deflate: text, binary, a 16 MiB message, close codes and reasons both ways.
 * Skipped under Node, which has no Bun to talk to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from '@sansock/node';
import { closeServer, next, onBun, portOf } from './helpers.js';

/** The parts of Bun's globals used here (the test's types are Node's only). */
interface BunClient {
  binaryType: string;
  readonly extensions: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: string | ArrayBuffer }) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
}
interface BunServerSocket {
  send(data: string | Uint8Array, compress?: boolean): number;
  close(code?: number, reason?: string): void;
}
interface BunServer {
  readonly port: number;
  upgrade(request: Request): boolean;
  stop(closeActive?: boolean): void;
}
interface BunGlobal {
  serve(options: {
    hostname: string;
    port: number;
    fetch(request: Request, server: BunServer): Response | undefined;
    websocket: { perMessageDeflate: boolean; maxPayloadLength: number; message(ws: BunServerSocket, message: string | Uint8Array): void };
  }): BunServer;
}
const runtime = globalThis as unknown as { Bun: BunGlobal; WebSocket: new (url: string) => BunClient };

const MiB = 1024 * 1024;
const TEXT = 'héllo ✓ from both sides';
const SMALL = Uint8Array.from([0, 1, 2, 127, 128, 255]);
/** 16 MiB that compress (a pattern) but are not all alike, so a shifted byte would show. Made on first use: not under Node. */
let big: Uint8Array | undefined;
const BIG = (): Uint8Array => (big ??= Uint8Array.from({ length: 16 * MiB }, (_, i) => (i * 31 + (i >>> 12)) & 0xff));

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Waits until `condition` holds, checking after every macrotask (no wall-clock assertion). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const sameBytes = (a: Uint8Array | ArrayBuffer | Buffer, b: Uint8Array) => Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b)) === 0;

describe.skipIf(!onBun)("interop with Bun's built-in WebSocket (uWebSockets)", () => {
  it("Bun's WebSocket client talks to our server: text, binary, 16 MiB, close 4001 from the client", async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
    cleanup.push(() => closeServer(server));
    await next(server, 'listening');
    const closedOnServer = new Promise<[number, string]>((resolve) => {
      server.on('connection', (peer: WebSocket) => {
        peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary }));
        peer.on('close', (code: number, reason: Buffer) => resolve([code, reason.toString()]));
      });
    });

    const client = new runtime.WebSocket(`ws://127.0.0.1:${portOf(server)}/`);
    client.binaryType = 'arraybuffer';
    await new Promise<void>((resolve, reject) => {
      client.onopen = () => resolve();
      client.onerror = reject;
    });
    expect(client.extensions).toContain('permessage-deflate');
    const replies: Array<string | ArrayBuffer> = [];
    client.onmessage = (event) => void replies.push(event.data);
    client.send(TEXT);
    client.send(SMALL);
    client.send(BIG());
    await until(() => replies.length === 3);
    expect(replies[0]).toBe(TEXT);
    expect(sameBytes(replies[1] as ArrayBuffer, SMALL)).toBe(true);
    expect(sameBytes(replies[2] as ArrayBuffer, BIG())).toBe(true);

    const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => {
      client.onclose = (event) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
    client.close(4001, 'client says bye');
    expect(await closedOnServer).toEqual([4001, 'client says bye']);
    expect(await closed).toEqual({ code: 4001, reason: 'client says bye', wasClean: true });
  });

  it('our client talks to Bun.serve: text, binary, 16 MiB, close 4002 from the server', async () => {
    const server = runtime.Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (request, bunServer) => (bunServer.upgrade(request) ? undefined : new Response('WebSocket only', { status: 426 })),
      websocket: {
        perMessageDeflate: true,
        maxPayloadLength: 64 * MiB,
        message(ws, message) {
          if (message === 'close, please') ws.close(4002, 'server says bye');
          else ws.send(message, true); // compressed: our inflate is exercised too
        },
      },
    });
    cleanup.push(() => server.stop(true));

    const client = new WebSocket(`ws://127.0.0.1:${server.port}/`, { perMessageDeflate: true });
    await next(client, 'open');
    expect(client.extensions).toContain('permessage-deflate');
    const replies: Array<[Buffer, boolean]> = [];
    client.on('message', (data: Buffer, isBinary: boolean) => void replies.push([data, isBinary]));
    client.send(TEXT);
    client.send(SMALL);
    client.send(BIG());
    await until(() => replies.length === 3);
    expect(replies[0]![0].toString()).toBe(TEXT);
    expect(replies[0]![1]).toBe(false);
    expect(sameBytes(replies[1]![0], SMALL)).toBe(true);
    expect(replies[1]![1]).toBe(true);
    expect(sameBytes(replies[2]![0], BIG())).toBe(true);

    const closed = next<[number, Buffer]>(client, 'close');
    client.send('close, please');
    const [code, reason] = await closed;
    expect(code).toBe(4002);
    expect(reason.toString()).toBe('server says bye');
  });
});
