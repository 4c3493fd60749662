/**
 * `ws` fidelity of send callbacks when the socket goes away while messages are being
 * compressed: each callback gets `Error('The socket was closed while data was being
 * compressed')`, once, in send order, while readyState is CLOSING and before 'close'. Compared
 * with the `ws` client in the same scenario against a `ws` server (both with
 * permessage-deflate, threshold 0 so every message is compressed).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: wsPackage.WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server as never);
});

type Client = 'ws' | 'ours';
type AnyClient = wsPackage.WebSocket | WebSocket;

async function server(onConnection: (peer: wsPackage.WebSocket) => void): Promise<string> {
  const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
  servers.push(wss);
  await next(wss, 'listening');
  wss.on('connection', onConnection);
  return `ws://127.0.0.1:${portOf(wss as never)}`;
}

function connect(client: Client, url: string): AnyClient {
  const options = { perMessageDeflate: { threshold: 0 } };
  return client === 'ws' ? new wsPackage.WebSocket(url, options) : new WebSocket(url, options);
}

/** Runs `act` on open; returns every callback call and the 'close' event, in the order they happened. */
async function record(client: Client, url: string, act: (ws: AnyClient, callback: (name: string) => (error?: Error | null) => void) => void) {
  const ws = connect(client, url);
  const log: string[] = [];
  const callback = (name: string) => (error?: Error | null) => {
    log.push(`${name}: readyState ${ws.readyState}, ${error ? error.message : String(error)}`);
  };
  ws.on('error', () => {});
  await next(ws, 'open');
  const closed = next(ws, 'close').then(() => log.push('close'));
  act(ws, callback);
  await closed;
  return log;
}

describe('send callbacks when the socket goes while compressing, as ws', () => {
  const compressing = 'The socket was closed while data was being compressed';

  it('the server ends the socket: every callback waiting on compression fails before close', async () => {
    const url = await server((peer) => (peer as unknown as { _socket: { end(): void } })._socket.end());
    // A first message that takes zlib milliseconds (1 MiB of random bytes), so the others are
    // still waiting behind it when the socket closes, a few event-loop turns after its end.
    const slow = randomBytes(1024 * 1024);
    const act = (ws: AnyClient, callback: (name: string) => (error?: Error | null) => void) => {
      ws.send(slow);
      ws.send('bar', callback('bar'));
      ws.send('baz');
      ws.send('qux', callback('qux'));
      ws.close();
    };
    const theirs = await record('ws', url, act);
    const ours = await record('ours', url, act);
    expect(theirs).toEqual([`bar: readyState 2, ${compressing}`, `qux: readyState 2, ${compressing}`, 'close']);
    expect(ours).toEqual(theirs);
  });

  it('terminate() while a message is being compressed: its callback fails before close', async () => {
    const url = await server(() => {});
    const act = (ws: AnyClient, callback: (name: string) => (error?: Error | null) => void) => {
      ws.send('hi', callback('hi'));
      ws.send(Buffer.alloc(64 * 1024, 7), callback('64 KiB'));
      ws.terminate();
    };
    const theirs = await record('ws', url, act);
    const ours = await record('ours', url, act);
    expect(theirs).toEqual([`hi: readyState 2, ${compressing}`, `64 KiB: readyState 2, ${compressing}`, 'close']);
    expect(ours).toEqual(theirs);
  });

  it('callbacks of messages that did go out still get null, and the rest the error, in order', async () => {
    // The first message is written before terminate(): its callback is a success, as in ws.
    const url = await server(() => {});
    const act = (ws: AnyClient, callback: (name: string) => (error?: Error | null) => void) => {
      ws.send('first', () => {
        callback('first')(null);
        ws.send('second', callback('second'));
        ws.terminate();
      });
    };
    const theirs = await record('ws', url, act);
    const ours = await record('ours', url, act);
    expect(theirs).toEqual([`first: readyState 1, null`, `second: readyState 2, ${compressing}`, 'close']);
    expect(ours).toEqual(theirs);
  });
});
