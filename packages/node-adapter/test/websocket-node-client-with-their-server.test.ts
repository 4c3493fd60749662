/**
 * Our WebSocket-Node client (@sansock/node/websocket-node) with the real `websocket` package's
 * server as the peer, over real sockets: messages, 16 MiB, fragments, close codes both ways,
 * cookies and origin seen by their server, rejections (connectFailed / httpResponse), abort().
 */
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import * as theirs from 'websocket';
import { type Message, type WebSocketConnection, client as OurClient } from '@sansock/node/websocket-node';
import { next } from './helpers.js';
import { Cleanup, startHttpServer } from './websocket-node-helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function theirServer(config: Partial<theirs.IServerConfig> = {}, onRequest?: (request: theirs.request) => void) {
  const http = await startHttpServer();
  const server = new theirs.server({ httpServer: http.server, keepalive: false, ...config });
  server.on('request', onRequest ?? ((request) => request.accept(request.requestedProtocols[0] ?? null, request.origin)));
  cleanup.add(() => http.close());
  cleanup.add(() => server.shutDown());
  return { http, server };
}

async function ourClient(
  server: theirs.server,
  url: string,
  protocols?: string | string[],
  config?: ConstructorParameters<typeof OurClient>[0],
): Promise<{ client: InstanceType<typeof OurClient>; local: WebSocketConnection; remote: theirs.connection }> {
  const client = new OurClient(config);
  const connected = next<[WebSocketConnection]>(client, 'connect');
  const accepted = next<[theirs.connection]>(server, 'connect');
  client.on('connectFailed', (error) => {
    throw error;
  });
  client.connect(url, protocols);
  const [[local], [remote]] = await Promise.all([connected, accepted]);
  cleanup.add(() => local.drop());
  return { client, local, remote };
}

describe('our WebSocket-Node client ↔ their server', () => {
  it('echoes text and binary with the negotiated protocol', async () => {
    const { http, server } = await theirServer();
    const { client, local, remote } = await ourClient(server, http.url, ['echo-protocol', 'other']);
    remote.on('message', (message) => (message.type === 'utf8' ? remote.sendUTF(message.utf8Data) : remote.sendBytes(message.binaryData)));
    expect(local.protocol).toBe('echo-protocol');
    expect(client.protocol).toBe('echo-protocol');
    const replies: Message[] = [];
    const done = new Promise<void>((resolve) =>
      local.on('message', (message) => {
        replies.push(message);
        if (replies.length === 2) resolve();
      }),
    );
    local.sendUTF('héllo');
    local.sendBytes(Buffer.from([9, 8, 7]));
    await done;
    expect(replies[0]).toEqual({ type: 'utf8', utf8Data: 'héllo' });
    expect(replies[1]).toEqual({ type: 'binary', binaryData: Buffer.from([9, 8, 7]) });
  });

  it('sends 16 MiB fragmented, and receives their fragmented 16 MiB', async () => {
    const size = 16 * 1024 * 1024;
    const limits = { maxReceivedFrameSize: size, maxReceivedMessageSize: size };
    const { http, server } = await theirServer({ ...limits, fragmentationThreshold: 64 * 1024 });
    const { local, remote } = await ourClient(server, http.url, undefined, { ...limits, fragmentationThreshold: 16 * 1024 });
    remote.on('message', (message) => message.type === 'binary' && remote.sendBytes(message.binaryData));
    const big = Buffer.alloc(size);
    for (let i = 0; i < size; i += 1000) big[i] = (i >> 10) & 0xff;
    const echoed = next<[Message]>(local, 'message');
    const sent = new Promise<Error | undefined>((resolve) => local.sendBytes(big, resolve));
    expect(await sent).toBeUndefined();
    const [message] = await echoed;
    expect(message.type === 'binary' && message.binaryData.equals(big)).toBe(true);
  });

  it('close codes and descriptions, from either side', async () => {
    const { http, server } = await theirServer();
    const first = await ourClient(server, http.url);
    const theirClose = next<[number, string]>(first.remote, 'close');
    const ourClose = next<[number, string]>(first.local, 'close');
    first.local.close(4321, 'client says bye');
    expect(await theirClose).toEqual([4321, 'client says bye']);
    expect(await ourClose).toEqual([4321, 'client says bye']);

    const second = await ourClient(server, http.url);
    const closed = next<[number, string]>(second.local, 'close');
    second.remote.close(1001, 'server going away');
    expect(await closed).toEqual([1001, 'server going away']);
    expect(second.local.closeReasonCode).toBe(1001);
    expect(second.local.connected).toBe(false);
  });

  it('sends origin, extra headers and cookies that their server reads', async () => {
    let seen: { origin?: string; cookies: unknown; custom: unknown } | undefined;
    const { http } = await theirServer({}, (request) => {
      seen = { origin: request.origin, cookies: request.cookies, custom: request.httpRequest.headers['x-custom'] };
      request.accept(null, request.origin);
    });
    const client = new OurClient();
    const connected = next<[WebSocketConnection]>(client, 'connect');
    client.connect(http.url, null, 'http://origin.test', { Cookie: 'a=1; b=two', 'X-Custom': 'yes' });
    const [connection] = await connected;
    cleanup.add(() => connection.drop());
    expect(seen).toEqual({
      origin: 'http://origin.test',
      cookies: [
        { name: 'a', value: '1' },
        { name: 'b', value: 'two' },
      ],
      custom: 'yes',
    });
  });

  it('a rejection is connectFailed with the status, or the response itself with an httpResponse listener', async () => {
    const { http } = await theirServer({}, (request) => request.reject(403, 'not you', { 'X-Why': 'because' }));
    const client = new OurClient();
    const failed = next<[Error]>(client, 'connectFailed');
    client.connect(http.url);
    const [error] = await failed;
    expect(error.message).toContain('non-101 status: 403');
    expect(error.message).toContain('x-why: because');

    const listening = new OurClient();
    const response = next<[IncomingMessage, InstanceType<typeof OurClient>]>(listening, 'httpResponse');
    listening.connect(http.url);
    const [res, emitter] = await response;
    expect(res.statusCode).toBe(403);
    expect(res.headers['x-websocket-reject-reason']).toBe('not you');
    expect(emitter).toBe(listening);
  });

  it('a server that does not choose an offered protocol fails the handshake', async () => {
    const { http } = await theirServer({}, (request) => request.accept(null, request.origin));
    const client = new OurClient();
    const failed = next<[Error]>(client, 'connectFailed');
    client.connect(http.url, 'wanted');
    expect((await failed)[0].message).toMatch(/subprotocol/i);
  });

  it('connectFailed on a refused connection; abort() cancels a handshake silently', async () => {
    const http = await startHttpServer();
    const port = http.port;
    await http.close();
    const client = new OurClient();
    const failed = next<[Error & { code?: string }]>(client, 'connectFailed');
    client.connect(`ws://127.0.0.1:${port}/`);
    expect((await failed)[0].code).toBe('ECONNREFUSED');

    // A server that never answers the upgrade: abort() ends the attempt and nothing is emitted.
    const silent = await startHttpServer();
    cleanup.add(() => silent.close());
    const upgrading = next(silent.server, 'upgrade');
    const aborted = new OurClient();
    let events = 0;
    aborted.on('connect', () => events++);
    aborted.on('connectFailed', () => events++);
    aborted.connect(silent.url);
    await upgrading;
    aborted.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toBe(0);
  });

  it('throws at once for a URL without a protocol or host, or a bad protocol name', () => {
    const client = new OurClient();
    expect(() => client.connect('not a url')).toThrow();
    expect(() => client.connect('ws://127.0.0.1:1/', 'bad protocol')).toThrow();
    expect(() => new OurClient({ webSocketVersion: 7 })).toThrow('Requested webSocketVersion is not supported');
  });
});
