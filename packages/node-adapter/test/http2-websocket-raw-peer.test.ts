/**
 * Our RFC 8441 server against a hand-driven peer: Node's own http2 client sends the extended
 * CONNECT and raw WebSocket frames, so the bytes on the stream are asserted, not our client's
 * reading of them. Also: sessions are shared only between WebSockets with the same TLS options.
 */
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from '@sansock/node';
import { openSessionCount } from '../src/http2/session-pool.js';
import { next } from './helpers.js';
import { type H2Setup, makeCert, startH2 } from './http2-helpers.js';

let setup: H2Setup | undefined;
const sessions: http2.ClientHttp2Session[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await setup?.close();
  setup = undefined;
});

/** A masked client frame (RFC 6455 §5.2), key 0x01020304. */
function maskedFrame(opcode: number, payload: Buffer, masked = true): Buffer {
  const key = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((byte, i) => (masked ? byte ^ key[i % 4]! : byte)));
  const header = Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | payload.length]);
  return Buffer.concat(masked ? [header, key, body] : [header, body]);
}

async function rawConnect(port: number, headers: http2.OutgoingHttpHeaders = {}) {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  sessions.push(session);
  await next(session, 'remoteSettings');
  expect(session.remoteSettings.enableConnectProtocol).toBe(true);
  const stream = session.request(
    { ':method': 'CONNECT', ':protocol': 'websocket', ':path': '/raw', ':scheme': 'http', ':authority': `127.0.0.1:${port}`, 'sec-websocket-version': '13', ...headers },
    { endStream: false },
  );
  const [response] = await next<[http2.IncomingHttpHeaders]>(stream, 'response');
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, response, received: () => Buffer.concat(chunks) };
}

describe('RFC 8441 server, raw HTTP/2 peer', () => {
  it('answers 200 without Sec-WebSocket-Accept, and echoes a masked frame unmasked', async () => {
    setup = await startH2();
    // An app written for HTTP/1.1 may add a connection-specific line: left out over HTTP/2.
    setup.wss.on('headers', (lines) => lines.push('x-extra: yes', 'Connection: keep-alive'));
    setup.wss.on('connection', (ws) => ws.on('message', (data) => ws.send(String(data))));
    const { stream, response, received } = await rawConnect(setup.port, { 'sec-websocket-protocol': 'chat' });
    expect(response[':status']).toBe(200);
    expect(response['sec-websocket-accept']).toBeUndefined();
    expect(response['sec-websocket-protocol']).toBe('chat');
    expect(response['x-extra']).toBe('yes');
    expect(response.connection).toBeUndefined();
    stream.write(maskedFrame(0x1, Buffer.from('hi')));
    await expect.poll(() => received().length).toBe(4);
    expect([...received()]).toEqual([0x81, 0x02, ...Buffer.from('hi')]);
    // A close frame: answered, then the server ends the stream first (END_STREAM).
    stream.write(maskedFrame(0x8, Buffer.from([0x03, 0xe8])));
    await next(stream, 'end');
    expect([...received().subarray(4)]).toEqual([0x88, 0x02, 0x03, 0xe8]);
    stream.end();
    await next(stream, 'close');
  });

  it('fails an unmasked client frame with 1002, as over TCP', async () => {
    setup = await startH2();
    const errors: string[] = [];
    const closed = new Promise<number>((resolve) => setup!.wss.on('connection', (ws) => {
      ws.on('error', (error: Error & { code?: string }) => errors.push(error.code ?? ''));
      ws.on('close', (code) => resolve(code));
    }));
    const { stream, received } = await rawConnect(setup.port);
    stream.write(maskedFrame(0x1, Buffer.from('hi'), false));
    await next(stream, 'end');
    expect([...received()]).toEqual([0x88, 0x02, 0x03, 0xea]);
    stream.end();
    // Like `ws` over TCP: 1002 went on the wire; no close frame came back, so 'close' says 1006.
    expect(await closed).toBe(1006);
    expect(errors).toEqual(['WS_ERR_EXPECTED_MASK']);
  });

  it('refuses with 500, without crashing, when the app adds a header line Node cannot send', async () => {
    setup = await startH2();
    setup.wss.on('headers', (lines) => lines.push('bad name: x'));
    let connections = 0;
    setup.wss.on('connection', () => connections++);
    const { response } = await rawConnect(setup.port);
    expect(response[':status']).toBe(500);
    expect(connections).toBe(0);
  });

  it('refuses a version it does not speak with 400 and Sec-WebSocket-Version, as over HTTP/1.1 (ws\'s status)', async () => {
    setup = await startH2();
    const { response } = await rawConnect(setup.port, { 'sec-websocket-version': '12' });
    expect(response[':status']).toBe(400);
    expect(response['sec-websocket-version']).toBe('13, 8');
  });

  it('a wsClientError listener is told the status that would have been sent', async () => {
    setup = await startH2();
    const reported = next<[Error & { code?: string; status?: number }, http2.ServerHttp2Stream]>(setup.wss, 'wsClientError');
    const connecting = rawConnect(setup.port, { 'sec-websocket-version': '12' });
    const [error, stream] = await reported;
    expect(error).toMatchObject({ code: 'WS_ERR_UNSUPPORTED_VERSION', status: 400 });
    stream.respond({ ':status': 418 });
    stream.end();
    expect((await connecting).response[':status']).toBe(418);
  });
});

describe('RFC 8441 client sessions', () => {
  it('are shared only between WebSockets with the same TLS options', async () => {
    const cert = await makeCert();
    setup = await startH2({ cert });
    const url = `wss://localhost:${setup.port}`;
    const trusted = [new WebSocket(url, { http2: true, ca: cert.cert }), new WebSocket(url, { http2: true, ca: cert.cert })];
    const insecure = new WebSocket(url, { http2: true, rejectUnauthorized: false });
    await Promise.all([...trusted, insecure].map((ws) => next(ws, 'open')));
    expect(openSessionCount()).toBe(2);
    expect(setup.sessions).toHaveLength(2);
    for (const ws of [...trusted, insecure]) {
      const closed = next(ws, 'close');
      ws.close();
      await closed;
    }
    await expect.poll(() => openSessionCount()).toBe(0);
  });

  it('check the certificate: an untrusted one fails the WebSocket', async () => {
    const cert = await makeCert();
    setup = await startH2({ cert });
    const ws = new WebSocket(`wss://localhost:${setup.port}`, { http2: true });
    const closed = next<[number]>(ws, 'close');
    const [error] = await next<[Error & { code?: string }]>(ws, 'error');
    expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect((await closed)[0]).toBe(1006);
  });
});
