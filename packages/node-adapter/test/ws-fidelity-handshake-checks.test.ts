/**
 * `ws` fidelity of the opening handshake's refusals: the server's status and body for a bad
 * request, compared with a `ws` server given the same request, and the client's error messages
 * for a bad extension answer, word for word. The one difference we keep (an offer with an
 * invalid permessage-deflate parameter is declined rather than refused, RFC 7692 §7.1) is pinned
 * in ws-fidelity-kept-differences.test.ts and listed in the README.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { next, onBun, portOf, readHead } from './helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Lib = 'ws' | 'ours';
interface Answer {
  status: number;
  body: string;
  version?: string;
  extensions?: string;
}

/** Sends one upgrade request to a noServer WebSocketServer of `lib` (perMessageDeflate on) behind an http server. */
async function ask(lib: Lib, headers: Record<string, string | undefined>, maxHeadersCount?: number): Promise<Answer> {
  const server = http.createServer();
  if (maxHeadersCount !== undefined) server.maxHeadersCount = maxHeadersCount;
  const options = { noServer: true, perMessageDeflate: true } as const;
  const wss = lib === 'ws' ? new wsPackage.WebSocketServer(options) : new WebSocketServer(options);
  server.on('upgrade', (req, socket, head) => {
    (wss as WebSocketServer).handleUpgrade(req, socket, head, (ws) => ws.terminate());
  });
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const sent: Record<string, string> = {};
  const all: Record<string, string | undefined> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) sent[name] = value;
  return new Promise<Answer>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: portOf(server as never), headers: sent });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, version: res.headers['sec-websocket-version'] as string | undefined }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '', extensions: res.headers['sec-websocket-extensions'] as string | undefined });
    });
  });
}

describe('server refusals, as ws', () => {
  const same: Array<[string, Record<string, string | undefined>, number?]> = [
    ['a malformed Sec-WebSocket-Extensions header', { 'Sec-WebSocket-Extensions': 'permessage-deflate; =x,,;' }],
    ['an Upgrade header that is not websocket', { Upgrade: 'foo' }],
    ['an Upgrade header Node did not keep (server.maxHeadersCount)', { foo: 'bar', bar: 'baz', 'Sec-WebSocket-Key': undefined }, 1],
    ['an invalid Sec-WebSocket-Key', { 'Sec-WebSocket-Key': 'abc' }],
  ];
  for (const [name, headers, max] of same) {
    // Bun's HTTP server answers 431 itself to a request over maxHeadersCount (ws's server too).
    it.skipIf(onBun && max !== undefined)(`${name}: same status and body as a ws server`, async () => {
      const theirs = await ask('ws', headers, max);
      const ours = await ask('ours', headers, max);
      expect(theirs.status).toBe(400);
      expect(ours).toEqual(theirs);
    });
  }

  it('a malformed extension header body is ws\'s', async () => {
    expect((await ask('ours', { 'Sec-WebSocket-Extensions': 'permessage-deflate; =x' })).body).toBe(
      'Invalid or unacceptable Sec-WebSocket-Extensions header',
    );
  });

  it('a wrong or missing Sec-WebSocket-Version: 400 with Sec-WebSocket-Version: 13, 8 and ws\'s body (RFC 6455 §4.4\'s example is a 400 too)', async () => {
    for (const version of ['12', undefined]) {
      const theirs = await ask('ws', { 'Sec-WebSocket-Version': version });
      const ours = await ask('ours', { 'Sec-WebSocket-Version': version });
      expect(theirs).toEqual({ status: 400, body: 'Missing or invalid Sec-WebSocket-Version header', version: '13, 8' });
      expect(ours).toEqual(theirs);
    }
  });
});

describe('client checks of the extension answer, as ws', () => {
  /** A raw server that answers the upgrade with `extensions`; returns the client's error message. */
  async function clientError(extensions: string): Promise<string> {
    const server = net.createServer(async (socket) => {
      const { head } = await readHead(socket);
      const key = /sec-websocket-key: *(\S+)/i.exec(head)![1]!;
      const { createHash } = await import('node:crypto');
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: ${extensions}\r\n\r\n`,
      );
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await next(server, 'listening');
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const client = new WebSocket(`ws://127.0.0.1:${portOf(server as never)}`, { perMessageDeflate: true });
    const failed = next<[Error]>(client, 'error');
    client.on('open', () => client.terminate());
    await next(client, 'close');
    return (await failed)[0].message;
  }

  it("an invalid permessage-deflate answer: 'Invalid Sec-WebSocket-Extensions header'", async () => {
    expect(await clientError('permessage-deflate; client_max_window_bits=7')).toBe('Invalid Sec-WebSocket-Extensions header');
    expect(await clientError('permessage-deflate; foo=bar')).toBe('Invalid Sec-WebSocket-Extensions header');
  });

  it("an extension that was not offered: 'Server indicated an extension that was not requested'", async () => {
    expect(await clientError('foo')).toBe('Server indicated an extension that was not requested');
    expect(await clientError('permessage-deflate,foo')).toBe('Server indicated an extension that was not requested');
  });
});
