/**
 * Differences from `ws` kept on purpose (listed, with the reason, in the README's "Differences
 * from ws"), pinned against a `ws` server given the same request.
 *
 * An offer of permessage-deflate with an invalid parameter value is declined, not refused:
 * RFC 7692 §7.1 says a server "MUST decline" such an offer, and declining lets the client's
 * next offer in the same header (§5: offers are listed in order of preference) be taken. A
 * header that cannot be parsed is refused with `ws`'s 400 (ws-fidelity-handshake-checks.test.ts).
 *
 * A 64-bit frame length with its most significant bit set fails the connection with 1002, not
 * `ws`'s 1009: RFC 6455 §5.2 says that bit "MUST be 0", so the frame breaks the framing rules
 * (a protocol error, §7.4.1), whatever size it would announce.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: Array<WebSocketServer | wsPackage.WebSocketServer> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server as never);
});

interface Answer {
  status: number;
  body: string;
  extensions?: string;
}

/** One upgrade request offering `extensions` to a server of `lib` with permessage-deflate on. */
async function offer(lib: 'ws' | 'ours', extensions: string): Promise<Answer> {
  const options = { port: 0, host: '127.0.0.1', perMessageDeflate: true } as const;
  const wss = lib === 'ws' ? new wsPackage.WebSocketServer(options) : new WebSocketServer(options);
  servers.push(wss);
  await next(wss, 'listening');
  return new Promise<Answer>((resolve, reject) => {
    const req = http.get({
      host: '127.0.0.1',
      port: portOf(wss as never),
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Extensions': extensions,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '', extensions: res.headers['sec-websocket-extensions'] as string | undefined });
    });
  });
}

describe('kept differences from ws', () => {
  const refused = { status: 400, body: 'Invalid or unacceptable Sec-WebSocket-Extensions header' };

  it('an offer with an invalid permessage-deflate parameter value is declined (RFC 7692 §7.1); ws refuses the request', async () => {
    const header = 'permessage-deflate; server_max_window_bits=foo';
    expect(await offer('ws', header)).toEqual(refused);
    // Opened, without the extension.
    expect(await offer('ours', header)).toEqual({ status: 101, body: '', extensions: undefined });
  });

  it("declining the invalid offer lets the client's next offer be accepted; ws refuses the request", async () => {
    const header = 'permessage-deflate; server_max_window_bits=foo, permessage-deflate; client_max_window_bits';
    expect(await offer('ws', header)).toEqual(refused);
    const ours = await offer('ours', header);
    expect(ours.status).toBe(101);
    expect(ours.extensions).toMatch(/^permessage-deflate\b/);
  });
});

describe('kept differences from ws: frames', () => {
  it('a 64-bit length with the most significant bit set: the client fails with 1002 (RFC 6455 §5.2), ws with 1009', async () => {
    const frame = Buffer.from([0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    const run = async (lib: 'ws' | 'ours') => {
      const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
      servers.push(wss);
      await next(wss, 'listening');
      const sent = new Promise<number>((resolve) => {
        wss.on('connection', (peer) => {
          peer.on('error', () => {});
          peer.on('close', (code) => resolve(code));
          (peer as unknown as { _socket: { write(bytes: Buffer): void } })._socket.write(frame);
        });
      });
      const url = `ws://127.0.0.1:${portOf(wss as never)}`;
      const client = lib === 'ws' ? new wsPackage.WebSocket(url) : new WebSocket(url);
      const [error] = await next<[Error & { code?: string }]>(client, 'error');
      return { name: error.constructor.name, code: error.code, closeCodeSent: await sent };
    };
    expect(await run('ws')).toEqual({ name: 'RangeError', code: 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH', closeCodeSent: 1009 });
    expect(await run('ours')).toEqual({ name: 'RangeError', code: 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH', closeCodeSent: 1002 });
  });
});
