/**
 * Helpers for the faye-websocket tests: the real `faye-websocket` and `permessage-deflate`
 * packages (CommonJS, untyped: given the small structural type both faye APIs share), and
 * http servers on 127.0.0.1:0 that make a WebSocket with either implementation on 'upgrade'.
 */
import type { EventEmitter } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { FayeExtension } from '@sansock/node/faye';
import { portOf } from './helpers.js';

const require = createRequire(import.meta.url);

export interface FayeMessageEventLike {
  data: string | Buffer;
}
export interface FayeCloseEventLike {
  code: number;
  reason: string;
}

/** What both faye APIs give a WebSocket (server side or Client). */
export interface FayeSocketLike extends EventEmitter {
  readonly readyState: number;
  readonly protocol: string;
  readonly url: string;
  readonly version: string;
  send(data: unknown): boolean;
  ping(message?: string, callback?: () => void): boolean;
  close(code?: number, reason?: string): void;
  statusCode?: number;
  headers?: Record<string, string>;
  onmessage: ((event: FayeMessageEventLike) => void) | null;
  onclose: ((event: FayeCloseEventLike) => void) | null;
  onopen: (() => void) | null;
}

export interface FayeModuleLike {
  new (request: http.IncomingMessage, socket: Duplex, body: Buffer, protocols?: string[] | null, options?: object): FayeSocketLike;
  isWebSocket(request: http.IncomingMessage): boolean;
  Client: new (url: string, protocols?: string[] | null, options?: object) => FayeSocketLike;
}

export const TheirFaye = require('faye-websocket') as FayeModuleLike;
export const deflate = require('permessage-deflate') as FayeExtension;

export interface TestServer {
  readonly port: number;
  readonly url: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** An http server on 127.0.0.1:0 whose upgrades become `Faye` WebSockets handed to `onSocket`. */
export async function fayeServer(
  Faye: FayeModuleLike,
  onSocket: (ws: FayeSocketLike, request: http.IncomingMessage) => void,
  protocols: string[] | null = null,
  options: object = {},
): Promise<TestServer> {
  const server = http.createServer();
  const sockets = new Set<net.Socket | Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, body: Buffer) => {
    if (!Faye.isWebSocket(request)) return socket.destroy();
    onSocket(new Faye(request, socket, body, protocols, options), request);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves with the next faye event of `type` (the event object). */
export function nextEvent<E>(ws: EventEmitter, type: string): Promise<E> {
  return new Promise((resolve) => ws.once(type, (event: E) => resolve(event)));
}

/** Resolves with the next `count` message payloads. */
export function messages(ws: EventEmitter, count: number): Promise<Array<string | Buffer>> {
  return new Promise((resolve) => {
    const seen: Array<string | Buffer> = [];
    const listener = (event: FayeMessageEventLike): void => {
      seen.push(event.data);
      if (seen.length === count) {
        ws.removeListener('message', listener);
        resolve(seen);
      }
    };
    ws.on('message', listener);
  });
}

/** An echo handler: every message goes back as it came (text as text, binary as binary). */
export function echo(ws: FayeSocketLike): void {
  ws.on('message', (event: FayeMessageEventLike) => ws.send(event.data));
}
