/**
 * Interop with the `ws` package over real TCP sockets on 127.0.0.1, byte level: our
 * handshake (the core's ClientHandshake / ServerHandshake) and a Connection with our
 * permessage-deflate on one side, a real `ws` WebSocket / WebSocketServer on the other.
 * Compressed text, binary, fragmented messages and 1,000 messages with context takeover,
 * under several parameter sets, with both our codecs.
 */
import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { type PerMessageDeflateOptions as WsDeflateOptions, WebSocketServer } from 'ws';
import {
  ClientHandshake,
  type DeflateNegotiationOptions,
  type Extension,
  type ExtensionFactory,
  HandshakeError,
  ServerHandshake,
  createPerMessageDeflate,
  pureDeflateCodec,
} from '@sansock/core';
import { createNodePerMessageDeflate, type PerMessageDeflateOptions } from '../src/permessage-deflate/index.js';
import { SocketDriver } from './permessage-deflate-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Codec = 'node' | 'pure';
const factory = (codec: Codec, role: 'client' | 'server', options: PerMessageDeflateOptions): ExtensionFactory =>
  codec === 'node'
    ? createNodePerMessageDeflate(options, { role, maxPayload: 0 })
    : createPerMessageDeflate({ ...(options as DeflateNegotiationOptions), role }, pureDeflateCodec);

/** Counts the frames an extension decoded (proof that the peer really compressed). */
function countDecodes(extension: Extension): { count: number } {
  const counter = { count: 0 };
  const decode = extension.decode.bind(extension);
  extension.decode = (payload, fin, max) => {
    counter.count++;
    return decode(payload, fin, max);
  };
  return counter;
}

/** A workload: text, binary, a fragmented message, then many small messages (context takeover). */
function workload(count: number): Array<{ parts: Uint8Array[]; binary: boolean }> {
  const enc = (s: string) => new TextEncoder().encode(s);
  const list: Array<{ parts: Uint8Array[]; binary: boolean }> = [
    { parts: [enc('Hello, ws! '.repeat(200))], binary: false },
    { parts: [Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff)], binary: true },
    { parts: [enc('fragmented '), enc('message, '.repeat(100)), enc('end')], binary: false },
    { parts: [new Uint8Array(0)], binary: true },
    { parts: [new Uint8Array(randomBytes(70_000))], binary: true },
  ];
  for (let i = 0; i < count; i++) list.push({ parts: [enc(`{"seq":${i},"body":"the same words again and again ${i % 10}"}`)], binary: false });
  return list;
}
const joined = (parts: Uint8Array[]) => Buffer.concat(parts);

/** The parameters of a permessage-deflate header, sorted (servers may order them as they like). */
const paramsOf = (header: string): string[] => {
  const [name, ...params] = header.split(';').map((p) => p.trim());
  expect(name).toBe('permessage-deflate');
  return params.sort();
};

describe('our client (core handshake + Connection + permessage-deflate) ⇄ ws WebSocketServer', () => {
  const configurations: Array<[string, WsDeflateOptions, WsDeflateOptions, string[]]> = [
    ['defaults', {}, {}, []],
    ['no context takeover both ways', { serverNoContextTakeover: true, clientNoContextTakeover: true }, {}, ['client_no_context_takeover', 'server_no_context_takeover']],
    ['server windows 10, client window 9', { serverMaxWindowBits: 10, clientMaxWindowBits: 9 }, {}, ['client_max_window_bits=9', 'server_max_window_bits=10']],
    ['client asks for 8-bit windows both ways', {}, { serverMaxWindowBits: 8, clientMaxWindowBits: 8 }, ['client_max_window_bits=8', 'server_max_window_bits=8']],
  ];

  for (const codec of ['node', 'pure'] as const)
    for (const [name, serverOptions, clientOptions, header] of configurations) {
      it(`${codec} codec, ${name}: ws receives what we sent and we decode its replies`, async () => {
        const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0, ...serverOptions } });
        cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
        await new Promise<void>((resolve) => wss.once('listening', resolve));
        const received: Array<{ data: Buffer; binary: boolean }> = [];
        let serverExtensions = '';
        wss.on('headers', (headers) => {
          serverExtensions = headers.find((h) => h.toLowerCase().startsWith('sec-websocket-extensions:'))?.replace(/^[^:]*:\s*/, '') ?? '';
        });
        wss.on('connection', (ws) => {
          ws.on('message', (data: Buffer, binary) => {
            received.push({ data, binary });
            ws.send(data, { binary });
          });
        });

        const { port } = wss.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1');
        cleanups.push(() => void socket.destroy());
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        const handshake = new ClientHandshake({ host: `127.0.0.1:${port}`, path: '/', extensions: [factory(codec, 'client', clientOptions)] });
        socket.write(handshake.bytes);
        const outcome = await new Promise<ReturnType<ClientHandshake['receiveData']>>((resolve) => {
          const onData = (chunk: Buffer) => {
            const result = handshake.receiveData(Uint8Array.prototype.slice.call(chunk));
            if (result === null) return;
            socket.off('data', onData);
            resolve(result);
          };
          socket.on('data', onData);
        });
        if (outcome === null || outcome instanceof HandshakeError) throw outcome ?? new Error('no response');
        expect(paramsOf(outcome.accepted.extensionsHeader)).toEqual(header);
        expect(outcome.accepted.extensions).toHaveLength(1);
        const decodes = countDecodes(outcome.accepted.extensions[0]!);
        const driver = new SocketDriver(socket, { role: 'client', extensions: outcome.accepted.extensions }, outcome.rest);

        const list = workload(1000);
        for (const { parts, binary } of list) {
          parts.forEach((part, i) => driver.send(part, { binary, fin: i === parts.length - 1 }));
        }
        await driver.until(() => driver.messages().length === list.length);
        expect(serverExtensions).toBe(outcome.accepted.extensionsHeader);
        expect(received).toHaveLength(list.length);
        received.forEach((m, i) => {
          expect(m.binary).toBe(list[i]!.binary);
          expect(Buffer.compare(m.data, joined(list[i]!.parts))).toBe(0);
        });
        driver.messages().forEach((m, i) => {
          expect(m.binary).toBe(list[i]!.binary);
          expect(Buffer.compare(Buffer.from(m.data), joined(list[i]!.parts))).toBe(0);
        });
        // ws compressed its replies (threshold 0): every reply went through our decoder.
        expect(decodes.count).toBe(list.length);

        driver.conn.close(1000, 'done');
        driver.pump();
        await driver.until(() => driver.events.some((e) => e.type === 'closed'));
        expect(driver.events.find((e) => e.type === 'closed')).toMatchObject({ code: 1000, wasClean: true });
      });
    }
});

describe('ws WebSocket client ⇄ our server (core handshake + Connection + permessage-deflate)', () => {
  /** A raw TCP server doing the handshake with our factory, then echoing every message. */
  async function ourServer(codec: Codec, options: PerMessageDeflateOptions): Promise<{ port: number; drivers: SocketDriver[]; decodes: Array<{ count: number }> }> {
    const drivers: SocketDriver[] = [];
    const decodes: Array<{ count: number }> = [];
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => {
      sockets.push(socket);
      const handshake = new ServerHandshake({ extensions: [factory(codec, 'server', options)] });
      const onData = (chunk: Buffer) => {
        const result = handshake.receiveData(Uint8Array.prototype.slice.call(chunk));
        if (result === null) return;
        socket.off('data', onData);
        if (result instanceof HandshakeError) {
          socket.end(handshake.reject(result.status ?? 400));
          return;
        }
        const accepted = handshake.accept();
        if (accepted instanceof HandshakeError) {
          socket.end(handshake.reject(400));
          return;
        }
        socket.write(accepted.response);
        for (const extension of accepted.extensions) decodes.push(countDecodes(extension));
        // Echo every message back as it arrives.
        const driver = new SocketDriver(socket, { role: 'server', extensions: accepted.extensions }, result.rest, (event, self) => {
          if (event.type === 'message' && self.conn.readyState === 1) self.conn.send(event.data, { binary: event.binary });
        });
        drivers.push(driver);
      };
      socket.on('data', onData);
      socket.on('error', () => {});
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, drivers, decodes };
  }

  const configurations: Array<[string, WsDeflateOptions, WsDeflateOptions, string[]]> = [
    ['defaults', {}, { threshold: 0 }, []],
    [
      'ws client asks for no context takeover and small windows',
      { threshold: 0 },
      { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 10 },
      ['client_max_window_bits=10', 'client_no_context_takeover', 'server_max_window_bits=9', 'server_no_context_takeover'],
    ],
    ['our server imposes windows of 8 bits', { threshold: 0, serverMaxWindowBits: 8, clientMaxWindowBits: 8 }, { threshold: 0 }, ['client_max_window_bits=8', 'server_max_window_bits=8']],
  ];

  for (const codec of ['node', 'pure'] as const)
    for (const [name, serverOptions, clientOptions, header] of configurations) {
      it(`${codec} codec, ${name}: we receive what ws sent and ws decodes our replies`, async () => {
        const { port, decodes } = await ourServer(codec, serverOptions);
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: clientOptions });
        cleanups.push(() => void ws.terminate());
        let responseHeader = '';
        ws.once('upgrade', (response) => (responseHeader = String(response.headers['sec-websocket-extensions'])));
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        expect(ws.extensions).toBe('permessage-deflate');
        expect(paramsOf(responseHeader)).toEqual(header);
        const replies: Array<{ data: Buffer; binary: boolean }> = [];
        ws.on('message', (data: Buffer, binary) => replies.push({ data, binary }));
        const list = workload(1000);
        for (const { parts, binary } of list) parts.forEach((part, i) => ws.send(part, { binary, fin: i === parts.length - 1 }));
        await new Promise<void>((resolve) => {
          const check = () => (replies.length === list.length ? resolve() : setTimeout(check, 5));
          check();
        });
        replies.forEach((m, i) => {
          expect(m.binary).toBe(list[i]!.binary);
          expect(Buffer.compare(m.data, joined(list[i]!.parts))).toBe(0);
        });
        // ws compressed everything it sent (threshold 0): every frame of it went through our decoder.
        expect(decodes[0]!.count).toBe(list.length + 2); // the fragmented message has 3 frames
        const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
        ws.close(1000);
        expect(await closed).toBe(1000);
      });
    }
});
