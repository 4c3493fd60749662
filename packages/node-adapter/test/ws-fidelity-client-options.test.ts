/**
 * `ws` fidelity of two client options, checked on the wire with a `ws` server as the peer:
 * `generateMask` fills each frame's masking key (called once per frame, the keys it writes are
 * the ones sent), and a custom `createConnection` is handed the URL's host and port as `ws`
 * hands them (the port a string, as written in the URL).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: wsPackage.WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server as never);
});

async function wsServer(options: wsPackage.ServerOptions = {}): Promise<wsPackage.WebSocketServer> {
  const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  servers.push(wss);
  await next(wss, 'listening');
  return wss;
}

/** The masking keys of the client frames in `bytes` (payloads under 126 bytes). */
function maskingKeys(bytes: Buffer): string[] {
  const keys: string[] = [];
  for (let at = 0; at + 6 <= bytes.length; ) {
    const length = bytes[at + 1]! & 0x7f;
    keys.push(bytes.subarray(at + 2, at + 6).toString('hex'));
    at += 6 + length;
  }
  return keys;
}

describe('client options, as ws', () => {
  it('generateMask: called once per frame, and its keys are the ones on the wire', async () => {
    const wss = await wsServer();
    const wire: Buffer[] = [];
    const messages: string[] = [];
    const received = new Promise<void>((resolve) => {
      wss.on('connection', (peer) => {
        (peer as unknown as { _socket: net.Socket })._socket.prependListener('data', (chunk: Buffer) => wire.push(chunk));
        peer.on('message', (data) => {
          messages.push(String(data));
          if (messages.length === 3) resolve();
        });
      });
    });
    let calls = 0;
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as never)}`, {
      generateMask(mask: Buffer) {
        calls++;
        expect(mask).toBeInstanceOf(Buffer);
        expect(mask.length).toBe(4);
        mask.writeUInt32BE(calls);
      },
    });
    await next(client, 'open');
    for (const text of ['one', 'two', 'three']) client.send(text);
    await received;
    expect(messages).toEqual(['one', 'two', 'three']);
    expect(calls).toBe(3);
    expect(maskingKeys(Buffer.concat(wire))).toEqual(['00000001', '00000002', '00000003']);
    client.close();
    await next(client, 'close');
  });

  it('generateMask that writes nothing: all-zero keys, as with ws', async () => {
    const wss = await wsServer();
    const wire: Buffer[] = [];
    const received = new Promise<Buffer>((resolve) => {
      wss.on('connection', (peer) => {
        (peer as unknown as { _socket: net.Socket })._socket.prependListener('data', (chunk: Buffer) => wire.push(chunk));
        peer.on('message', (data) => resolve(data as Buffer));
      });
    });
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as never)}`, { generateMask() {} });
    await next(client, 'open');
    client.send(Buffer.from('foo'));
    expect(await received).toEqual(Buffer.from('foo'));
    expect(maskingKeys(Buffer.concat(wire))).toEqual(['00000000']);
    client.close();
    await next(client, 'close');
  });

  it('createConnection gets the host and the port as ws gives them', async () => {
    const wss = await wsServer();
    const port = portOf(wss as never);
    type AnyClient = new (url: string, options: object) => WebSocket;
    const seen = async (Client: AnyClient, url: string) => {
      let given: { host: unknown; port: unknown } | undefined;
      const client = new Client(url, {
        createConnection: (options: { host?: unknown; port?: unknown }) => {
          given = { host: options.host, port: options.port };
          return net.createConnection({ host: '127.0.0.1', port });
        },
      } as never);
      await next(client, 'open');
      expect(client.url).toBe(url);
      client.close();
      await next(client, 'close');
      return given;
    };
    for (const url of ['ws://example.test:22/foo', 'ws://example.test/foo']) {
      const theirs = await seen(wsPackage.WebSocket as unknown as AnyClient, url);
      expect(await seen(WebSocket, url)).toEqual(theirs);
    }
    expect(await seen(WebSocket, 'ws://example.test:22/foo')).toEqual({ host: 'example.test', port: '22' });
    expect(await seen(WebSocket, 'ws://example.test/foo')).toEqual({ host: 'example.test', port: 80 });
  });
});
