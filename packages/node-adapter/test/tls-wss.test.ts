/**
 * `wss:` with a self-signed certificate generated for the test: our client ↔ our server over an
 * https server, `ws` client ↔ our server, and certificate checking (an untrusted cert fails).
 */
import https from 'node:https';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { next, portOf } from './helpers.js';

let pems: { cert: string; private: string };
let httpsServer: https.Server;
let wss: WebSocketServer;
let port: number;

beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  } as Parameters<typeof generate>[1]);
  httpsServer = https.createServer({ cert: pems.cert, key: pems.private });
  wss = new WebSocketServer({ server: httpsServer });
  wss.on('connection', (ws, req) => {
    ws.send(`secure:${String((req.socket as { encrypted?: boolean }).encrypted)}`);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  httpsServer.listen(0, '127.0.0.1');
  await next(httpsServer, 'listening');
  port = portOf(httpsServer);
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => httpsServer.close(() => resolve()));
});

describe('wss: over TLS', () => {
  it('our client connects with the CA it trusts, exchanges messages and closes', async () => {
    const ws = new WebSocket(`wss://localhost:${port}/`, { ca: pems.cert });
    const [greeting] = await next<[Buffer]>(ws, 'message');
    expect(greeting.toString()).toBe('secure:true');
    const echoed = next<[Buffer, boolean]>(ws, 'message');
    ws.send(Buffer.from('over tls'));
    const [data, binary] = await echoed;
    expect([data.toString(), binary]).toEqual(['over tls', true]);
    const closed = next<[number, Buffer]>(ws, 'close');
    ws.close(1000, 'tls bye');
    expect((await closed)[0]).toBe(1000);
  });

  it('the ws client talks to our server over wss:', async () => {
    const ws = new wsPackage.WebSocket(`wss://127.0.0.1:${port}/`, { ca: pems.cert });
    const [greeting] = await next<[Buffer]>(ws, 'message');
    expect(greeting.toString()).toBe('secure:true');
    const closed = next<[number]>(ws, 'close');
    ws.close(4321);
    expect((await closed)[0]).toBe(4321);
  });

  it('fails with a TLS error then close 1006 when the certificate is not trusted', async () => {
    const ws = new WebSocket(`wss://localhost:${port}/`);
    const order: string[] = [];
    ws.on('error', (error: Error & { code?: string }) => order.push(`error ${error.code}`));
    const closed = next<[number]>(ws, 'close');
    ws.on('close', (code) => order.push(`close ${code}`));
    await closed;
    expect(order).toEqual(['error DEPTH_ZERO_SELF_SIGNED_CERT', 'close 1006']);
  });

  it('rejectUnauthorized: false connects anyway', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/`, { rejectUnauthorized: false });
    const [greeting] = await next<[Buffer]>(ws, 'message');
    expect(greeting.toString()).toBe('secure:true');
    ws.terminate();
    await next(ws, 'close');
  });
});
