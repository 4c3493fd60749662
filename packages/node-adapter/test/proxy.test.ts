/**
 * The `proxy` client option: ws: and wss: through an HTTP CONNECT proxy started here, to our
 * server and to the real `ws` server; Basic credentials from the proxy URL; a 407 as a clear
 * error; wss: checks the target's certificate with the target's name; `proxy: 'env'` with
 * HTTP(S)_PROXY / NO_PROXY set only inside the tests.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { bypassesProxy } from '../src/proxy/no-proxy.js';
import { resolveProxy } from '../src/proxy/options.js';
import { next, portOf } from './helpers.js';
import { type TestProxy, startProxy } from './proxy-helpers.js';

interface Target {
  url: string;
  close(): Promise<void>;
}

let pems: { cert: string; private: string };
let proxy: TestProxy;
let authProxy: TestProxy;
let ours: Target;
let oursSecure: Target & { servernames: (string | false | null)[] };
let theirs: Target;
let theirsSecure: Target;

/** An echo server (ours or ws's) on an http(s) server of its own. */
async function startTarget(kind: 'ours' | 'ws', secure: boolean, servernames: (string | false | null)[] = []): Promise<Target> {
  const server = secure ? https.createServer({ cert: pems.cert, key: pems.private }) : http.createServer();
  server.on('secureConnection', (socket: TLSSocket) => servernames.push(socket.servername));
  const wss = kind === 'ours' ? new WebSocketServer({ server }) : new wsPackage.WebSocketServer({ server });
  wss.on('connection', (ws: WebSocket | wsPackage.WebSocket) => {
    ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(isBinary ? data : `${kind}:${data.toString()}`));
  });
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  return {
    url: `${secure ? 'wss' : 'ws'}://localhost:${portOf(server)}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

/** Opens `url` with `options`, sends "hi", returns the echo and closes. */
async function roundTrip(url: string, options: ConstructorParameters<typeof WebSocket>[2]): Promise<string> {
  const ws = new WebSocket(url, options);
  await next(ws, 'open');
  const reply = next<[Buffer]>(ws, 'message');
  ws.send('hi');
  const [data] = await reply;
  const closed = next<[number]>(ws, 'close');
  ws.close(1000);
  expect((await closed)[0]).toBe(1000);
  return data.toString();
}

/** Runs a client that is expected to fail; resolves with its error. */
async function failure(url: string, options: ConstructorParameters<typeof WebSocket>[2]): Promise<Error & { statusCode?: number; code?: string }> {
  const ws = new WebSocket(url, options);
  // Both listeners first: 'close' follows 'error' in the same tick.
  const errored = next<[Error]>(ws, 'error');
  const closed = next<[number]>(ws, 'close');
  const [error] = await errored;
  const [code] = await closed;
  expect(code).toBe(1006);
  return error;
}

beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  } as Parameters<typeof generate>[1]);
  proxy = await startProxy();
  authProxy = await startProxy('alice:s3cret:x');
  ours = await startTarget('ours', false);
  const servernames: (string | false | null)[] = [];
  oursSecure = Object.assign(await startTarget('ours', true, servernames), { servernames });
  theirs = await startTarget('ws', false);
  theirsSecure = await startTarget('ws', true);
});

afterAll(async () => {
  await Promise.all([proxy, authProxy, ours, oursSecure, theirs, theirsSecure].map((server) => server.close()));
});

describe('proxy option', () => {
  it('tunnels ws: to our server and to the ws server', async () => {
    const before = proxy.tunnels.length;
    expect(await roundTrip(ours.url, { proxy: proxy.url })).toBe('ours:hi');
    expect(await roundTrip(theirs.url, { proxy: new URL(proxy.url) })).toBe('ws:hi');
    expect(proxy.tunnels.slice(before)).toEqual([new URL(ours.url).host, new URL(theirs.url).host]);
  });

  it('tunnels wss: with TLS to the target inside the tunnel (SNI and certificate are the target\'s)', async () => {
    const before = proxy.tunnels.length;
    expect(await roundTrip(oursSecure.url, { proxy: proxy.url, ca: pems.cert })).toBe('ours:hi');
    expect(await roundTrip(theirsSecure.url, { proxy: { url: proxy.url }, ca: pems.cert })).toBe('ws:hi');
    expect(proxy.tunnels.length - before).toBe(2);
    expect(oursSecure.servernames.at(-1)).toBe('localhost');
  });

  it('checks the target\'s certificate: without its CA the connection fails, rejectUnauthorized: false accepts it', async () => {
    const before = proxy.tunnels.length;
    const error = await failure(oursSecure.url, { proxy: proxy.url });
    expect(error.message).toMatch(/self[- ]signed|unable to verify|certificate/i);
    expect(proxy.tunnels.length - before).toBe(1);
    expect(await roundTrip(oursSecure.url, { proxy: proxy.url, rejectUnauthorized: false })).toBe('ours:hi');
  });

  it('sends Basic credentials from the proxy URL (percent-decoded)', async () => {
    const before = authProxy.tunnels.length;
    expect(await roundTrip(ours.url, { proxy: `http://alice:s3cret%3Ax@127.0.0.1:${authProxy.port}` })).toBe('ours:hi');
    expect(authProxy.authorizations.at(-1)).toBe(`Basic ${Buffer.from('alice:s3cret:x').toString('base64')}`);
    expect(authProxy.tunnels.length - before).toBe(1);
  });

  it('a 407 from the proxy fails the connection with a clear error', async () => {
    const error = await failure(ours.url, { proxy: `http://alice:wrong@127.0.0.1:${authProxy.port}` });
    expect(error.message).toBe(`Proxy http://127.0.0.1:${authProxy.port} refused CONNECT ${new URL(ours.url).host}: 407 Proxy Authentication Required`);
    expect(error.statusCode).toBe(407);
    expect(error.code).toBe('ERR_PROXY_CONNECT');
    expect(error.message).not.toContain('wrong');
  });

  it('an unreachable proxy fails the connection', async () => {
    const closed = await startProxy();
    const url = closed.url;
    await closed.close();
    const error = await failure(ours.url, { proxy: url });
    expect(error.message).toMatch(/^Proxy http:\/\/127\.0\.0\.1:\d+ could not tunnel to localhost:\d+: .*ECONNREFUSED/);
  });

  it('handshakeTimeout bounds a proxy that never answers; close() gives up a CONNECT under way', async () => {
    const held: net.Socket[] = [];
    // Reads (and ignores) what arrives, so it sees the client hang up.
    const silent = net.createServer((socket) => held.push(socket.resume()));
    silent.listen(0, '127.0.0.1');
    await next(silent, 'listening');
    const silentUrl = `http://127.0.0.1:${portOf(silent)}`;

    const error = await failure(ours.url, { proxy: silentUrl, handshakeTimeout: 300 });
    expect(error.message).toBe(`Proxy ${silentUrl} did not answer CONNECT ${new URL(ours.url).host} in time`);

    const ws = new WebSocket(ours.url, { proxy: silentUrl });
    ws.on('error', () => {});
    await expect.poll(() => held.length).toBe(2);
    const proxySide = next(held[1] as net.Socket, 'close');
    const closed = next<[number]>(ws, 'close');
    ws.close();
    expect((await closed)[0]).toBe(1006);
    await proxySide;
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('rejects proxy together with agent, and a malformed proxy URL', () => {
    expect(() => new WebSocket(ours.url, { proxy: proxy.url, agent: new http.Agent() })).toThrow(TypeError);
    expect(() => new WebSocket(ours.url, { proxy: 'socks5://127.0.0.1:1080' })).toThrow(SyntaxError);
  });
});

describe("proxy: 'env'", () => {
  const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  const clear = (): void => {
    for (const name of names) delete process.env[name];
  };
  beforeAll(clear);
  afterEach(clear);
  afterAll(() => {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  });

  it('uses HTTP_PROXY for ws: and HTTPS_PROXY for wss:', async () => {
    const before = proxy.tunnels.length;
    process.env.HTTP_PROXY = proxy.url;
    process.env.https_proxy = proxy.url;
    expect(await roundTrip(ours.url, { proxy: 'env' })).toBe('ours:hi');
    expect(await roundTrip(theirsSecure.url, { proxy: 'env', ca: pems.cert })).toBe('ws:hi');
    expect(proxy.tunnels.length - before).toBe(2);
  });

  it('connects directly when no variable is set, or NO_PROXY matches the host (and port)', async () => {
    const before = proxy.tunnels.length;
    expect(await roundTrip(ours.url, { proxy: 'env' })).toBe('ours:hi');
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = `example.com, localhost:${new URL(ours.url).port}`;
    expect(await roundTrip(ours.url, { proxy: 'env' })).toBe('ours:hi');
    expect(proxy.tunnels.length).toBe(before);
    // Another port of the same host still goes through the proxy.
    expect(await roundTrip(theirs.url, { proxy: 'env' })).toBe('ws:hi');
    expect(proxy.tunnels.length - before).toBe(1);
  });

  it('without the option, the environment is not used', async () => {
    const before = proxy.tunnels.length;
    process.env.HTTP_PROXY = proxy.url;
    expect(await roundTrip(ours.url, {})).toBe('ours:hi');
    expect(proxy.tunnels.length).toBe(before);
  });
});

describe('NO_PROXY matching', () => {
  it.each([
    ['*', 'anything.test', 80, true],
    ['example.com', 'example.com', 80, true],
    ['example.com', 'a.b.example.com', 443, true],
    ['.example.com', 'example.com', 80, true],
    ['*.example.com', 'www.example.com', 80, true],
    ['example.com', 'notexample.com', 80, false],
    ['example.com:8080', 'example.com', 8080, true],
    ['example.com:8080', 'example.com', 80, false],
    ['10.0.0.1', '10.0.0.1', 80, true],
    ['10.0.0.1', '10.0.0.12', 80, false],
    ['[::1]:9000', '::1', 9000, true],
    ['a.test other.test,,  EXAMPLE.com', 'x.example.com', 80, true],
    ['', 'example.com', 80, false],
  ])('%j for %s:%i → %s', (noProxy, host, port, expected) => {
    expect(bypassesProxy(noProxy, host, port)).toBe(expected);
  });

  it('resolves env proxies lower-case first, falling back to ALL_PROXY, host:port without a scheme', () => {
    const env = { http_proxy: 'lower:1', HTTP_PROXY: 'http://upper:2', ALL_PROXY: 'http://all:3' };
    expect(resolveProxy('env', 'h', 80, false, env)?.url.host).toBe('lower:1');
    expect(resolveProxy('env', 'h', 443, true, env)?.url.host).toBe('all:3');
    expect(resolveProxy('env', 'h', 443, true, { ...env, NO_PROXY: '*' })).toBeNull();
    expect(resolveProxy(undefined, 'h', 80, false, env)).toBeNull();
  });
});
