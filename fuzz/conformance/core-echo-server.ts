/**
 * An echo server on the bare core Connection over node:net, with a hand-written upgrade.
 * It lets the conformance cases judge the core itself before (and besides) @sansock/node.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { Connection, DONE, type Extension, NEED_DATA, PENDING, createPerMessageDeflate } from '@sansock/core';
import { codecNamed } from '../src/deflate-api.js';
import { formatExtensionHeader, parseExtensionHeader } from '../src/handshake-api.js';
import { ECHO_DEFLATE_OPTIONS, type EchoServer } from './targets.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const CLOSE_TIMEOUT_MS = 1000;

/** The permessage-deflate answer to a request's offers (RFC 7692 §5), or none. */
function negotiateDeflate(head: string, maxPayload: number): { header: string; extension: Extension } | undefined {
  const offered = /\r\nsec-websocket-extensions:\s*([^\r\n]*)/i.exec(head)?.[1];
  if (offered === undefined) return undefined;
  const offers = parseExtensionHeader(offered);
  if (offers === null) return undefined;
  const factory = createPerMessageDeflate({ role: 'server', maxPayload, ...ECHO_DEFLATE_OPTIONS }, codecNamed('zlib'));
  const accepted = factory.accept(offers.filter((o) => o.name === factory.name));
  return accepted === null ? undefined : { header: formatExtensionHeader([accepted.response]), extension: accepted.extension };
}

export async function startCoreEchoServer(maxPayload: number, deflate = false): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onHead);
      const key = /\r\nsec-websocket-key:\s*([^\r\n]+)/i.exec(head.subarray(0, end).toString('latin1'))?.[1]?.trim();
      if (key === undefined) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        return;
      }
      const accept = createHash('sha1').update(key + GUID).digest('base64');
      const negotiated = deflate ? negotiateDeflate(head.subarray(0, end).toString('latin1'), maxPayload) : undefined;
      const extensionsLine = negotiated ? `Sec-WebSocket-Extensions: ${negotiated.header}\r\n` : '';
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${extensionsLine}\r\n`);
      serve(socket, head.subarray(end + 4), maxPayload, negotiated ? [negotiated.extension] : []);
    };
    socket.on('data', onHead);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(socket: net.Socket, rest: Buffer, maxPayload: number, extensions: Extension[]): void {
  // An asynchronous codec (node:zlib) wakes us when it settles: pump again then.
  const conn: Connection = new Connection({ role: 'server', maxPayload, extensions, onWake: () => pump() });
  let timer: NodeJS.Timeout | undefined;
  let ending = false;
  const pump = (): void => {
    let last: symbol | undefined;
    for (;;) {
      const event = conn.nextEvent();
      if (event === NEED_DATA || event === PENDING || event === DONE) {
        last = event;
        break;
      }
      if (event.type === 'message') conn.send(event.data, { binary: event.binary });
      else if (event.type === 'start-close-timer') timer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
      else if (event.type === 'close-transport') ending = true;
      else if (event.type === 'closed') clearTimeout(timer);
    }
    if (!socket.writableEnded) for (const chunk of conn.takeOutput()) socket.write(chunk);
    // End only once the writer is idle: a close reply may still wait behind an async compress.
    if (ending && last !== PENDING && !socket.writableEnded) socket.end();
  };
  socket.on('data', (chunk: Buffer) => {
    conn.receiveData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    pump();
  });
  socket.on('close', () => {
    conn.receiveData(null);
    pump();
  });
  if (rest.length > 0) conn.receiveData(Uint8Array.from(rest));
  pump();
}
