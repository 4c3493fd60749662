/** Helpers for the RFC 8441 (WebSockets over HTTP/2) tests: h2c and TLS http2 servers on 127.0.0.1:0. */
import http2 from 'node:http2';
import { generate } from 'selfsigned';
import { type ServerOptions, WebSocketServer } from '@sansock/node';
import { next, portOf } from './helpers.js';

export interface TestCert {
  cert: string;
  key: string;
}

/** A self-signed certificate for localhost and 127.0.0.1. */
export async function makeCert(): Promise<TestCert> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  } as Parameters<typeof generate>[1]);
  return { cert: pems.cert, key: pems.private };
}

export interface H2Setup {
  server: http2.Http2Server | http2.Http2SecureServer;
  wss: WebSocketServer;
  port: number;
  /** Every HTTP/2 session the server accepted (one per TCP connection). */
  sessions: http2.ServerHttp2Session[];
  close(): Promise<void>;
}

/** An http2 server (h2c, or TLS with `cert`) with a WebSocketServer attached through `http2Server`. */
export async function startH2(options: { cert?: TestCert; wss?: Omit<ServerOptions, 'http2Server'> } = {}): Promise<H2Setup> {
  const server = options.cert
    ? http2.createSecureServer({ cert: options.cert.cert, key: options.cert.key, settings: { enableConnectProtocol: true } })
    : http2.createServer({ settings: { enableConnectProtocol: true } });
  const sessions: http2.ServerHttp2Session[] = [];
  server.on('session', (session: http2.ServerHttp2Session) => sessions.push(session));
  const wss = new WebSocketServer({ ...options.wss, http2Server: server });
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  return {
    server,
    wss,
    port: portOf(server),
    sessions,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
