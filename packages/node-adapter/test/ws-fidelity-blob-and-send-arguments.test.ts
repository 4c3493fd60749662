/**
 * `ws` fidelity (ws 8.18+): `send(blob)`, `ping(blob)`, `pong(blob)` with and without
 * permessage-deflate, in order with the sends around them (a Blob is read asynchronously: later
 * sends wait behind it); a Blob sent once not open counts in `bufferedAmount`; a send that
 * cannot be read fails like `ws` (its callback, then one 'error'); `send({})` throws `ws`'s TypeError. The peer is the `ws` package.
 */
import { randomBytes } from 'node:crypto';
import { openAsBlob, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket from '@sansock/node';
import { closeServer, collect, next, onBun, portOf } from './helpers.js';

const servers: wsPackage.WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server as never);
});

/** A `ws` server that echoes every message, and our client connected to it. */
async function echoPair(perMessageDeflate: boolean): Promise<{ client: WebSocket; peer: wsPackage.WebSocket }> {
  const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: perMessageDeflate ? { threshold: 0 } : false });
  servers.push(wss);
  await next(wss, 'listening');
  wss.on('connection', (peer) => peer.on('message', (data, binary) => peer.send(data, { binary })));
  const connected = next<[wsPackage.WebSocket]>(wss, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as never)}`, { perMessageDeflate: perMessageDeflate ? { threshold: 0 } : false });
  await next(client, 'open');
  const [peer] = await connected;
  return { client, peer };
}

describe('Blob payloads, as ws', () => {
  for (const deflate of [false, true]) {
    it(`send(blob) is a binary message, in order with the sends around it${deflate ? ' (permessage-deflate)' : ''}`, async () => {
      const { client } = await echoPair(deflate);
      const received = collect<[Buffer, boolean]>(client, 'message', 5);
      const callbacks: unknown[] = [];
      client.send('one');
      client.send(new Blob(['two', '-', 'blob']), (error) => callbacks.push(error));
      client.send(Buffer.from('three'));
      client.send(new Blob([new Uint8Array([0xff, 0x00])]));
      client.send('four', () => callbacks.push('four written'));
      const messages = (await received).map(([data, binary]) => [binary ? data.toString('hex') : data.toString(), binary]);
      expect(messages).toEqual([
        ['one', false],
        [Buffer.from('two-blob').toString('hex'), true],
        [Buffer.from('three').toString('hex'), true],
        ['ff00', true],
        ['four', false],
      ]);
      expect(callbacks).toEqual([null, 'four written']);
      client.close();
      await next(client, 'close');
    });

    it(`ping(blob) and pong(blob) carry the Blob's bytes${deflate ? ' (permessage-deflate)' : ''}`, async () => {
      const { client, peer } = await echoPair(deflate);
      const ping = next<[Buffer]>(peer, 'ping');
      const pong = next<[Buffer]>(peer, 'pong');
      client.ping(new Blob(['ping-blob']));
      client.pong(new Blob(['pong-blob']));
      expect((await ping)[0].toString()).toBe('ping-blob');
      expect((await pong)[0].toString()).toBe('pong-blob');
      expect(() => client.ping(new Blob([new Uint8Array(126)]))).toThrow(RangeError);
      client.close();
      await next(client, 'close');
    });
  }

  it('close() called after send(blob) goes out after the Blob', async () => {
    const { client, peer } = await echoPair(false);
    const got = next<[Buffer, boolean]>(peer, 'message');
    client.send(new Blob(['last words']));
    client.close(1000, 'bye');
    const [data, binary] = await got;
    expect([data.toString(), binary]).toEqual(['last words', true]);
    const [code, reason] = (await next(client, 'close')) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([1000, 'bye']);
  });

  it('terminate() while a Blob is read fails its callback and those held behind it, with ws message', async () => {
    const { client } = await echoPair(false);
    const errors: string[] = [];
    client.send(new Blob(['foo']), (error) => errors.push(`blob ${client.readyState} ${error?.message}`));
    client.send('bar');
    client.send('baz', (error) => errors.push(`baz ${client.readyState} ${error?.message}`));
    client.terminate();
    await next(client, 'close');
    expect(errors).toEqual([
      'blob 2 The socket was closed while the blob was being read',
      'baz 2 The socket was closed while the blob was being read',
    ]);
  });

  // Bun's file Blob reads whatever the file holds now (its size follows the file): nothing fails there.
  it.skipIf(onBun || typeof openAsBlob !== 'function')("a Blob that cannot be read: one 'error' (ws's NotReadableError), its callback told, then 'close'", async () => {
    // A file Blob whose file changed after it was opened cannot be read (Node checks the size).
    const file = join(tmpdir(), `sansock-blob-${randomBytes(4).toString('hex')}.txt`);
    writeFileSync(file, 'x'.repeat(64));
    try {
      const blob = await openAsBlob(file);
      writeFileSync(file, 'x'.repeat(32));
      const run = async (client: WebSocket | wsPackage.WebSocket) => {
        const seen: string[] = [];
        client.on('error', (error: Error) => seen.push(`error ${error.name} ${error.message}`));
        await next(client, 'open');
        client.send(blob, (error) => seen.push(`callback ${error?.message}`));
        await next(client, 'close');
        return seen;
      };
      const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
      servers.push(wss);
      await next(wss, 'listening');
      const url = `ws://127.0.0.1:${portOf(wss as never)}`;
      const theirs = await run(new wsPackage.WebSocket(url));
      expect(theirs).toEqual(['callback The blob could not be read', 'error NotReadableError The blob could not be read']);
      expect(await run(new WebSocket(url))).toEqual(theirs);
    } finally {
      unlinkSync(file);
    }
  });

  it("a Blob sent while CLOSING or CLOSED adds its size to bufferedAmount, like ws's", async () => {
    const { client } = await echoPair(false);
    client.close();
    expect(client.readyState).toBe(WebSocket.CLOSING);
    const before = client.bufferedAmount;
    client.send(new Blob(['12345']));
    client.ping(new Blob(['123']));
    client.pong(new Blob(['12']));
    expect(client.bufferedAmount - before).toBe(10);
    await next(client, 'close');
    const after = client.bufferedAmount;
    client.send(new Blob(['1234']));
    expect(client.bufferedAmount - after).toBe(4);
  });
});

describe('send() arguments, as ws', () => {
  it("send({}) throws ws's TypeError with code ERR_INVALID_ARG_TYPE", async () => {
    const { client } = await echoPair(false);
    const theirs = (() => {
      try {
        Buffer.from({} as never);
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
      return undefined;
    })();
    expect(() => client.send({} as never)).toThrow(TypeError);
    try {
      client.send({} as never);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ERR_INVALID_ARG_TYPE');
      expect((error as Error).message).toBe(theirs?.message);
    }
    client.close();
    await next(client, 'close');
  });
});
