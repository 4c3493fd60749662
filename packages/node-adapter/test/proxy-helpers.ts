/** A small HTTP CONNECT proxy for tests: optional Basic auth, counts tunnels, remembers targets. */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { next, portOf } from './helpers.js';

export interface TestProxy {
  readonly url: string;
  readonly port: number;
  /** CONNECT targets that were tunnelled, in order. */
  readonly tunnels: string[];
  /** Proxy-Authorization headers seen, in order (undefined when absent). */
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** Starts a CONNECT proxy on 127.0.0.1; with `credentials` ("user:pass") it answers 407 without them. */
export async function startProxy(credentials?: string): Promise<TestProxy> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Duplex>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const authorization = req.headers['proxy-authorization'];
    authorizations.push(authorization);
    if (credentials !== undefined && authorization !== `Basic ${Buffer.from(credentials).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const target = req.url ?? '';
    const colon = target.lastIndexOf(':');
    const host = target.slice(0, colon).replace(/^\[|\]$/g, '');
    const upstream = net.connect(Number(target.slice(colon + 1)), host, () => {
      tunnels.push(target);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('close', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  const port = portOf(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
