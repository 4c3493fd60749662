/**
 * `proxy: { origin, headers, tls }` of our faye Client: an HTTP CONNECT proxy started here checks
 * Proxy-Authorization (from the proxy URL's user info) and tunnels to a faye server, for ws: and
 * for wss: (TLS to the origin inside the tunnel). The real faye Client goes through the same proxy
 * and must send the same CONNECT request.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OurFaye from '@sansock/node/faye';
import {
  type FayeCloseEventLike,
  type FayeModuleLike,
  type FayeSocketLike,
  type TestServer,
  TheirFaye,
  echo,
  fayeServer,
  messages,
  nextEvent,
} from './faye-helpers.js';
import { portOf } from './helpers.js';

const Ours = OurFaye as unknown as FayeModuleLike;
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;
/** What the proxy lets through. */
const ACCEPTED = new Set([basic('user:pass'), basic('user:p@ss')]);

interface SeenConnect {
  target: string | undefined;
  headers: http.IncomingHttpHeaders;
}

let proxy: http.Server;
let proxyPort: number;
const seen: SeenConnect[] = [];
const tunnels = new Set<Duplex>();

beforeAll(async () => {
  proxy = http.createServer((_request, response) => response.writeHead(405).end());
  proxy.on('connect', (request: http.IncomingMessage, client: Duplex, head: Buffer) => {
    seen.push({ target: request.url, headers: request.headers });
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    if (!ACCEPTED.has(request.headers['proxy-authorization'] ?? '')) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const upstream = net.connect({ host, port: Number(port) }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => {
      tunnels.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = portOf(proxy);
});

afterAll(async () => {
  for (const tunnel of tunnels) tunnel.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

let app: TestServer | undefined;
const clients: FayeSocketLike[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.readyState < 2) client.close();
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  seen.length = 0;
});

function track(client: FayeSocketLike): FayeSocketLike {
  clients.push(client);
  return client;
}

describe('faye Client through an HTTP CONNECT proxy', () => {
  it('ws: through the proxy with credentials from the URL and extra proxy headers; same CONNECT as faye', async () => {
    app = await fayeServer(TheirFaye, echo);
    const proxyOptions = { proxy: { origin: `http://user:pass@127.0.0.1:${proxyPort}`, headers: { 'X-Proxy-Note': 'hello' } } };
    const ours = track(new OurFaye.Client(app.url, null, proxyOptions) as unknown as FayeSocketLike);
    await nextEvent(ours, 'open');
    const reply = messages(ours, 1);
    ours.send('through the tunnel');
    expect(await reply).toEqual(['through the tunnel']);

    const theirs = track(new TheirFaye.Client(app.url, null, proxyOptions));
    await nextEvent(theirs, 'open');
    expect(seen).toHaveLength(2);
    const [our, their] = seen;
    expect(our!.target).toBe(`127.0.0.1:${app.port}`);
    expect(our!.target).toBe(their!.target);
    expect(our!.headers['proxy-authorization']).toBe(basic('user:pass'));
    expect(our!.headers['x-proxy-note']).toBe('hello');
    for (const name of ['host', 'connection', 'proxy-connection', 'proxy-authorization', 'x-proxy-note']) {
      expect(our!.headers[name], name).toBe(their!.headers[name]);
    }
  });

  it('percent-encoded user info is decoded before it is encoded as Basic credentials (faye sends it still encoded)', async () => {
    app = await fayeServer(TheirFaye, echo);
    const client = track(
      new OurFaye.Client(app.url, null, { proxy: { origin: `http://user:p%40ss@127.0.0.1:${proxyPort}` } }) as unknown as FayeSocketLike,
    );
    await nextEvent(client, 'open');
    expect(seen[0]!.headers['proxy-authorization']).toBe(basic('user:p@ss'));
  });

  it('wss: TLS to the origin inside the tunnel, with `tls.ca`', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    } as Parameters<typeof generate>[1]);
    const server = https.createServer({ cert: pems.cert, key: pems.private });
    const sockets = new Set<Duplex>();
    server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, body: Buffer) => {
      sockets.add(socket);
      echo(new Ours(request, socket, body) as FayeSocketLike);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const client = track(
      new OurFaye.Client(`wss://localhost:${portOf(server)}/secure`, null, {
        proxy: { origin: `http://user:p%40ss@127.0.0.1:${proxyPort}` },
        tls: { ca: pems.cert },
      }) as unknown as FayeSocketLike,
    );
    await nextEvent(client, 'open');
    const reply = messages(client, 1);
    client.send('secret');
    expect(await reply).toEqual(['secret']);
    expect(seen[0]!.target).toBe(`localhost:${portOf(server)}`);
  });

  it('a proxy that refuses (407): error, then close; statusCode is the proxy’s', async () => {
    app = await fayeServer(Ours, echo);
    const client = track(
      new OurFaye.Client(app.url, null, { proxy: { origin: `http://user:wrong@127.0.0.1:${proxyPort}` } }) as unknown as FayeSocketLike,
    );
    const error = nextEvent<{ message: string }>(client, 'error');
    const closed = nextEvent<FayeCloseEventLike>(client, 'close');
    expect((await error).message).toContain("Can't establish a connection to the server at");
    await closed;
    expect(client.statusCode).toBe(407);
    expect(client.readyState).toBe(3);
  });
});
