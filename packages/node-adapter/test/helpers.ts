/** Test helpers: servers on 127.0.0.1:0, one-shot event waits, raw handshake peers. */
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { computeAcceptKey } from '@sansock/core';

export interface Closable {
  close(callback?: () => void): unknown;
}

/** Port of a listening server. */
export function portOf(server: { address(): AddressInfo | string | null }): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

/** Resolves with the arguments of the next `event`. */
export function next<T extends unknown[] = unknown[]>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  // Not events.once(): it rejects on 'error', and tests often wait for 'close' after an expected error.
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T)));
}

/** Collects the arguments of every `event` until `count` arrived. */
export function collect<T extends unknown[]>(emitter: NodeJS.EventEmitter, event: string, count: number): Promise<T[]> {
  return new Promise((resolve) => {
    const seen: T[] = [];
    const listener = (...args: unknown[]) => {
      seen.push(args as T);
      if (seen.length === count) {
        emitter.removeListener(event, listener);
        resolve(seen);
      }
    };
    emitter.on(event, listener);
  });
}

/** Test cleanup: terminates a server's connections, then closes it. */
export function closeServer(server: { clients: Set<{ terminate(): void }>; close(callback?: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  });
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads from `socket` until the HTTP head is complete; returns the head text and what followed it. */
export async function readHead(socket: net.Socket): Promise<{ head: string; rest: Buffer }> {
  let buffered = Buffer.alloc(0);
  for (;;) {
    const end = buffered.indexOf('\r\n\r\n');
    if (end !== -1) return { head: buffered.subarray(0, end).toString('latin1'), rest: buffered.subarray(end + 4) };
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    buffered = Buffer.concat([buffered, chunk]);
  }
}

/**
 * A raw TCP "WebSocket server" that completes the handshake and then does whatever `after`
 * does with the socket (nothing: it never answers a close frame). Sockets are tracked so the
 * test can close everything.
 */
export async function rawServer(
  after: (socket: net.Socket) => void = () => {},
  /** Bytes written in the same write as the 101 response (frames that arrive with the handshake). */
  withResponse: Buffer = Buffer.alloc(0),
): Promise<{ port: number; close: () => Promise<void>; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(async (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const { head } = await readHead(socket);
    const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
    const response = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAcceptKey(key)}\r\n\r\n`;
    socket.write(Buffer.concat([Buffer.from(response, 'latin1'), withResponse]));
    after(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: portOf(server),
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A raw TCP client that sends `request` (a full HTTP head) and returns the socket and the response head. */
export async function rawRequest(port: number, request: string | Buffer): Promise<{ socket: net.Socket; head: string; rest: Buffer }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(request);
  const { head, rest } = await readHead(socket);
  return { socket, head, rest };
}

/** A valid client handshake request head for `path`, with optional header overrides (null removes). */
export function upgradeRequest(path = '/', overrides: Record<string, string | null> = {}): string {
  const headers: Record<string, string | null> = {
    Host: 'localhost',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...overrides,
  };
  const lines = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `${name}: ${value}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** True when the suite runs under Bun (`pnpm test:bun`), for the few checks of Bun's own limits. */
export const onBun = typeof process.versions.bun === 'string';

let fullGc: (() => void) | undefined;
/** A full garbage collection: V8's `gc`, exposed on first use, under Node; `Bun.gc(true)` under Bun. */
export function collectGarbage(): void {
  if (fullGc === undefined) {
    const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
    if (bun !== undefined) fullGc = () => bun.gc(true);
    else {
      setFlagsFromString('--expose-gc');
      fullGc = runInNewContext('gc') as () => void;
    }
  }
  fullGc();
}

/**
 * Counts the write batches a socket hands to the OS (`_write` / `_writev` calls): what tests of
 * write coalescing assert. Bun's net.Socket._writev joins the chunks and calls this._write with
 * the result: still one batch, so a _write made from inside _writev is not counted again.
 */
export function countWrites(socket: net.Socket): { readonly count: number } {
  const counter = { count: 0 };
  const writable = socket as net.Socket & { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
  let inWritev = false;
  const write = writable._write.bind(socket);
  writable._write = (...args: unknown[]) => {
    if (!inWritev) counter.count++;
    write(...args);
  };
  const writev = writable._writev?.bind(socket);
  if (writev !== undefined) {
    writable._writev = (...args: unknown[]) => {
      counter.count++;
      inWritev = true;
      try {
        writev(...args);
      } finally {
        inWritev = false;
      }
    };
  }
  return counter;
}
