/**
 * Clients under test: each connects to the harness's raw server and echoes every message back
 * (text as text, binary as binary), leaving pings, pongs and closing to the library.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { Connection, DONE, type Extension, NEED_DATA, PENDING, createPerMessageDeflate, formatExtensionHeader } from '@sansock/core';
import { codecNamed } from '../src/deflate-api.js';
import { parseExtensionHeader } from '../src/handshake-api.js';
import { ECHO_DEFLATE_OPTIONS, type Target } from './targets.js';

export const CLIENT_TARGETS: readonly Target[] = [
  { name: 'ws', module: 'ws' },
  { name: '@sansock/node', module: '@sansock/node' },
  { name: 'sansock-core', module: 'core' },
];

export interface EchoClient {
  stop(): void;
}

interface ClientSocket {
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  send(data: unknown, options: { binary: boolean }): void;
  terminate(): void;
}
type ClientConstructor = new (url: string, options?: { perMessageDeflate?: object | false }) => ClientSocket;

export async function loadClientConstructor(target: Target): Promise<ClientConstructor | string> {
  try {
    const mod = (await import(/* @vite-ignore */ target.module)) as { WebSocket?: unknown; default?: unknown };
    const ctor = mod.WebSocket ?? mod.default;
    if (typeof ctor !== 'function') return `${target.module} has no WebSocket export`;
    return ctor as ClientConstructor;
  } catch (error) {
    return `${target.module} cannot be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** Starts one echo client against `port`, offering permessage-deflate (threshold 0) if `deflate`. */
export type EchoClientStarter = (port: number, deflate: boolean) => EchoClient;

/** Returns the target's echo client starter, or why the target is unavailable. */
export async function echoClientFactory(target: Target): Promise<EchoClientStarter | string> {
  if (target.module === 'core') return startCoreEchoClient;
  const WebSocket = await loadClientConstructor(target);
  if (typeof WebSocket === 'string') return WebSocket;
  return (port, deflate) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: deflate ? { ...ECHO_DEFLATE_OPTIONS } : false });
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('error', () => {
      /* protocol errors are the point of most cases */
    });
    return { stop: () => socket.terminate() };
  };
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The bare core Connection as a client over node:net, with a hand-written upgrade. */
function startCoreEchoClient(port: number, deflate: boolean): EchoClient {
  const factory = deflate ? createPerMessageDeflate({ role: 'client', ...ECHO_DEFLATE_OPTIONS }, codecNamed('zlib')) : undefined;
  const offer = factory ? `Sec-WebSocket-Extensions: ${formatExtensionHeader(factory.offers())}\r\n` : '';
  const socket = net.connect({ port, host: '127.0.0.1' });
  const key = randomBytes(16).toString('base64');
  const expected = createHash('sha1').update(key + GUID).digest('base64');
  let timer: NodeJS.Timeout | undefined;
  let ending = false;
  let conn: Connection | undefined;
  let head = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('connect', () => {
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${offer}\r\n`);
  });
  const pump = () => {
    if (conn === undefined) return;
    let last: symbol | undefined;
    for (;;) {
      const event = conn.nextEvent();
      if (event === NEED_DATA || event === PENDING || event === DONE) {
        last = event;
        break;
      }
      if (event.type === 'message') conn.send(event.data, { binary: event.binary });
      else if (event.type === 'start-close-timer') timer = setTimeout(() => socket.destroy(), 1000);
      else if (event.type === 'close-transport') ending = true;
      else if (event.type === 'closed') clearTimeout(timer);
    }
    if (!socket.writableEnded) for (const chunk of conn.takeOutput()) socket.write(chunk);
    // End only once the writer is idle: a close reply may still wait behind an async compress.
    if (ending && last !== PENDING && !socket.writableEnded) socket.end();
  };
  socket.on('data', (chunk: Buffer) => {
    if (conn === undefined) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = head.subarray(0, end).toString('latin1');
      if (!text.startsWith('HTTP/1.1 101') || !text.toLowerCase().includes(`sec-websocket-accept: ${expected.toLowerCase()}`)) {
        socket.destroy();
        return;
      }
      // §9.1: every extension in the response must be one we offered and can confirm.
      const answered = /\r\nsec-websocket-extensions:\s*([^\r\n]*)/i.exec(text)?.[1];
      const extensions: Extension[] = [];
      if (answered !== undefined) {
        const parsed = parseExtensionHeader(answered);
        const confirmed = parsed?.length === 1 && factory !== undefined && parsed[0]!.name === factory.name ? factory.confirm(parsed[0]!) : 'unexpected';
        if (typeof confirmed === 'string') {
          socket.destroy();
          return;
        }
        extensions.push(confirmed);
      }
      conn = new Connection({ role: 'client', extensions, onWake: () => pump() });
      chunk = head.subarray(end + 4);
    }
    if (chunk.length > 0) conn.receiveData(Uint8Array.from(chunk));
    pump();
  });
  socket.on('close', () => {
    clearTimeout(timer);
    conn?.receiveData(null);
    pump();
  });
  return { stop: () => socket.destroy() };
}
