/**
 * RFC 8441 with a real browser: headless Chromium loads a page from our `node:http2` TLS server
 * (h2 by ALPN), then opens a WebSocket to the same origin. Because the server's SETTINGS
 * advertise SETTINGS_ENABLE_CONNECT_PROTOCOL, Chromium sends an extended CONNECT on that HTTP/2
 * connection instead of opening a new TCP connection for an HTTP/1.1 upgrade. Proved from the
 * server side: the WebSocket arrived as a stream (`isHttp2Request`, `:protocol websocket`) of the
 * very session that served the page, and the server saw one TCP connection in all (a server
 * without `allowHTTP1` could not have taken an HTTP/1.1 upgrade anyway).
 */
import http2 from 'node:http2';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer, isHttp2Request } from '@sansock/node';
import { next, portOf } from './helpers.js';
import { makeCert } from './http2-helpers.js';
import { findChromium } from './peers/chromium.js';
import { describeWithPeer } from './peers/peer-suite.js';

const PAGE = '<!doctype html><title>sansock h2</title>';

describeWithPeer('chromium', findChromium(), 'interop with Chromium over HTTP/2 (RFC 8441)', (chromiumPeer) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPeer.executablePath,
      // The test certificate is self-signed: accepted for this browser only.
      args: ['--no-sandbox', '--disable-gpu', '--ignore-certificate-errors'],
      env: { ...process.env, ...chromiumPeer.env } as Record<string, string>,
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('opens the WebSocket as a stream of the page\'s HTTP/2 connection, exchanges messages and closes', async () => {
    const cert = await makeCert();
    const server = http2.createSecureServer({ cert: cert.cert, key: cert.key, settings: { enableConnectProtocol: true } });
    const sessions: http2.ServerHttp2Session[] = [];
    let tcpConnections = 0;
    server.on('connection', () => tcpConnections++);
    server.on('session', (session: http2.ServerHttp2Session) => sessions.push(session));
    server.on('request', (_req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    });
    const wss = new WebSocketServer({ http2Server: server, perMessageDeflate: { threshold: 0 } });
    const serverSide = new Promise<{ messages: string[]; code: number; reason: string; http2: boolean; protocol: unknown; sameSession: boolean; extensions: string }>((resolve) => {
      wss.on('connection', (ws, req) => {
        const messages: string[] = [];
        ws.on('message', (data, isBinary) => {
          messages.push(isBinary ? `binary:${(data as Buffer).toString('hex')}` : `text:${String(data)}`);
          ws.send(data, { binary: isBinary });
        });
        ws.send('welcome over h2');
        const http2Request = isHttp2Request(req);
        // Read now: a closed stream lets go of its session.
        const sameSession = sessions.length === 1 && (ws._socket as http2.ServerHttp2Stream).session === sessions[0];
        ws.on('close', (code, reason) =>
          resolve({
            messages,
            code,
            reason: String(reason),
            http2: http2Request,
            protocol: req.headers[':protocol'],
            sameSession,
            extensions: ws.extensions,
          }),
        );
      });
    });
    server.listen(0, '127.0.0.1');
    await next(server, 'listening');
    const origin = `https://localhost:${portOf(server)}`;

    const page = await browser.newPage({ ignoreHTTPSErrors: true });
    try {
      const response = await page.goto(`${origin}/`);
      expect(response?.status()).toBe(200);
      const browserSide = await page.evaluate(async (url) => {
        const ws = new WebSocket(url);
        const received: string[] = [];
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = () => reject(new Error('browser WebSocket failed to open'));
        });
        const allReceived = new Promise<void>((resolve) => {
          ws.onmessage = (event) => {
            received.push(String(event.data));
            if (received.length === 2) resolve();
          };
        });
        ws.send('hello from chromium over h2 '.repeat(20));
        await allReceived;
        const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => {
          ws.onclose = (event) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean });
        });
        ws.close(4001, 'h2 done');
        return { extensions: ws.extensions, received, close: await closed };
      }, `${origin.replace('https:', 'wss:')}/ws`);

      expect(browserSide.received).toEqual(['welcome over h2', 'hello from chromium over h2 '.repeat(20)]);
      expect(browserSide.extensions).toContain('permessage-deflate');
      expect(browserSide.close).toEqual({ code: 4001, reason: 'h2 done', wasClean: true });
      const observed = await serverSide;
      expect(observed).toMatchObject({ http2: true, protocol: 'websocket', sameSession: true, code: 4001, reason: 'h2 done' });
      expect(observed.messages).toEqual([`text:${'hello from chromium over h2 '.repeat(20)}`]);
      expect(observed.extensions).toBe('permessage-deflate');
      expect(tcpConnections).toBe(1);
    } finally {
      await page.close();
      await new Promise((resolve) => wss.close(resolve));
      for (const session of sessions) session.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
