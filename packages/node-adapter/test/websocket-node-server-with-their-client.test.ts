/**
 * Our WebSocket-Node server (@sansock/node/websocket-node) with the real `websocket` package's
 * client as the peer, over real sockets: messages of every kind and size, close codes and
 * descriptions both ways, cookies and origin on accept, rejections, limits, keep-alive drops,
 * and a client offering permessage-deflate (WebSocket-Node negotiates no extension).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as theirs from 'websocket';
import { WebSocket as WsClient } from 'ws';
import {
  type IServerConfig,
  type Message,
  type WebSocketConnection,
  type WebSocketRequest,
  server as OurServer,
} from '@sansock/node/websocket-node';
import { next } from './helpers.js';
import { Cleanup, startHttpServer } from './websocket-node-helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Our server on a fresh http server; `onRequest` decides, else every request is accepted with its first protocol. */
async function ourServer(config: Partial<IServerConfig> = {}, onRequest?: (request: WebSocketRequest) => void) {
  const http = await startHttpServer();
  const server = new OurServer({ httpServer: http.server, ...config });
  server.on('request', onRequest ?? ((request) => request.accept(request.requestedProtocols[0] ?? null, request.origin)));
  cleanup.add(() => http.close());
  cleanup.add(() => server.shutDown());
  return { http, server };
}

/** Their client connected to `url`; resolves with both sides' connections. */
async function theirClient(
  server: InstanceType<typeof OurServer>,
  url: string,
  protocols?: string | string[],
  config?: theirs.IClientConfig,
): Promise<{ client: theirs.client; remote: theirs.connection; local: WebSocketConnection }> {
  const client = new theirs.client(config);
  const connected = next<[theirs.connection]>(client, 'connect');
  const accepted = next<[WebSocketConnection]>(server, 'connect');
  client.on('connectFailed', (error) => {
    throw error;
  });
  client.connect(url, protocols);
  const [[remote], [local]] = await Promise.all([connected, accepted]);
  cleanup.add(() => remote.drop());
  return { client, remote, local };
}

describe('our WebSocket-Node server ↔ their client', () => {
  it('echoes text and binary, and the protocol and addresses are those of the handshake', async () => {
    const { http, server } = await ourServer();
    const { remote, local } = await theirClient(server, http.url, 'echo-protocol');
    local.on('message', (message: Message) => {
      if (message.type === 'utf8') local.sendUTF(message.utf8Data);
      else local.sendBytes(message.binaryData);
    });
    expect(remote.protocol).toBe('echo-protocol');
    expect(local.protocol).toBe('echo-protocol');
    expect(local.remoteAddress).toBe('127.0.0.1');
    expect(local.connected).toBe(true);
    expect(local.state).toBe('open');
    const replies: theirs.Message[] = [];
    const done = new Promise<void>((resolve) =>
      remote.on('message', (message) => {
        replies.push(message);
        if (replies.length === 3) resolve();
      }),
    );
    remote.sendUTF('hello ünïcode');
    remote.sendBytes(Buffer.from([0, 1, 2, 255]));
    remote.send('via send');
    await done;
    expect(replies[0]).toEqual({ type: 'utf8', utf8Data: 'hello ünïcode' });
    expect(replies[1]!.type).toBe('binary');
    expect([...(replies[1] as theirs.IBinaryMessage).binaryData]).toEqual([0, 1, 2, 255]);
    expect(replies[2]).toEqual({ type: 'utf8', utf8Data: 'via send' });
  });

  it('fragments above fragmentationThreshold both ways, and reassembles 16 MiB', async () => {
    const size = 16 * 1024 * 1024;
    const limits = { maxReceivedFrameSize: size, maxReceivedMessageSize: size };
    const { http, server } = await ourServer({ ...limits, fragmentationThreshold: 1000 });
    const { remote, local } = await theirClient(server, http.url, undefined, { ...limits, fragmentationThreshold: 4096 });
    const frames: theirs.frame[] = [];
    const big = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) big[i] = i & 0xff;
    const received = next<[Message]>(local, 'message');
    remote.sendBytes(big);
    const [message] = await received;
    expect(message.type).toBe('binary');
    expect((message as { binaryData: Buffer }).binaryData.equals(big)).toBe(true);
    // Our outgoing fragmentation, seen frame by frame by a client that does not assemble.
    const { remote: raw, local: rawLocal } = await theirClient(server, http.url, undefined, { assembleFragments: false });
    const allFrames = new Promise<void>((resolve) =>
      raw.on('frame', (frame) => {
        frames.push(frame);
        if (frame.fin) resolve();
      }),
    );
    rawLocal.sendUTF('x'.repeat(2500));
    await allFrames;
    expect(frames.map((frame) => [frame.opcode, frame.fin, frame.length])).toEqual([
      [1, false, 1000],
      [0, false, 1000],
      [0, true, 500],
    ]);
  });

  it('delivers frames one by one with assembleFragments: false', async () => {
    const { http, server } = await ourServer({ assembleFragments: false });
    const { remote, local } = await theirClient(server, http.url, undefined, { fragmentationThreshold: 3 });
    const frames: Array<[number, boolean, string]> = [];
    const done = new Promise<void>((resolve) =>
      local.on('frame', (frame) => {
        frames.push([frame.opcode, frame.fin, frame.binaryPayload.toString()]);
        if (frame.fin) resolve();
      }),
    );
    let messages = 0;
    local.on('message', () => messages++);
    remote.sendUTF('abcdefgh');
    await done;
    expect(frames).toEqual([
      [1, false, 'abc'],
      [0, false, 'def'],
      [0, true, 'gh'],
    ]);
    expect(messages).toBe(0);
  });

  it('with assembleFragments: false, a frame that arrives over many reads is still one frame event', async () => {
    const size = 4 * 1024 * 1024;
    const { http, server } = await ourServer({ assembleFragments: false, maxReceivedFrameSize: size, maxReceivedMessageSize: size });
    const { remote, local } = await theirClient(server, http.url, undefined, { fragmentOutgoingMessages: false });
    const frames: Array<[number, boolean, number]> = [];
    let bytes: Buffer | undefined;
    const done = new Promise<void>((resolve) =>
      local.on('frame', (frame) => {
        frames.push([frame.opcode, frame.fin, frame.length]);
        bytes = frame.binaryPayload;
        if (frame.fin) resolve();
      }),
    );
    const big = Buffer.alloc(size, 7);
    big[size - 1] = 9;
    remote.sendBytes(big);
    await done;
    expect(frames).toEqual([[2, true, size]]);
    expect(bytes!.equals(big)).toBe(true);
  });

  it('close(code, description) from our side: both sides see that code and description', async () => {
    const { http, server } = await ourServer();
    const { remote, local } = await theirClient(server, http.url);
    const theirClose = next<[number, string]>(remote, 'close');
    const ourClose = next<[number, string]>(local, 'close');
    const serverClose = next<[WebSocketConnection, number, string]>(server, 'close');
    local.close(4001, 'bye now');
    expect(local.connected).toBe(false);
    expect(local.state).toBe('ending');
    expect(await theirClose).toEqual([4001, 'bye now']);
    expect(await ourClose).toEqual([4001, 'bye now']);
    const [closed, code, description] = await serverClose;
    expect([closed === local, code, description]).toEqual([true, 4001, 'bye now']);
    expect(server.connections).toEqual([]);
    expect(local.closeReasonCode).toBe(4001);
    expect(local.closeDescription).toBe('bye now');
    expect(local.state).toBe('closed');
  });

  it('close from their side: we report their code and description, defaulting the description', async () => {
    const { http, server } = await ourServer();
    const first = await theirClient(server, http.url);
    const ourClose = next<[number, string]>(first.local, 'close');
    first.remote.close(1001, 'going');
    expect(await ourClose).toEqual([1001, 'going']);
    const second = await theirClient(server, http.url);
    const secondClose = next<[number, string]>(second.local, 'close');
    second.remote.close(3000, '');
    expect(await secondClose).toEqual([3000, '']);
    expect(() => second.local.close(1006)).not.toThrow(); // closed already: nothing happens
  });

  it('close() rejects codes WebSocket-Node rejects, and defaults to 1000 with its description', async () => {
    const { http, server } = await ourServer();
    const { remote, local } = await theirClient(server, http.url);
    expect(() => local.close(1005)).toThrow('Close code 1005 is not valid.');
    expect(() => local.close(999)).toThrow();
    const theirClose = next<[number, string]>(remote, 'close');
    local.close();
    expect(await theirClose).toEqual([1000, 'Normal connection closure']);
  });

  it('drop(): the close event comes at once and the socket is gone', async () => {
    const { http, server } = await ourServer();
    const { remote, local } = await theirClient(server, http.url);
    const events: Array<[number, string]> = [];
    local.on('close', (code, description) => events.push([code, description]));
    const theirClose = next<[number, string]>(remote, 'close');
    local.drop(1008, 'policy');
    expect(events).toEqual([[1008, 'policy']]);
    const [code] = await theirClose;
    // Their client saw our close frame (1008) or only the dropped socket (1006): either is WebSocket-Node's behaviour.
    expect([1008, 1006]).toContain(code);
  });

  it('accept(protocol, origin, cookies) sends the cookies and the origin; bad cookies reject with 500 and throw', async () => {
    let thrown: unknown;
    let cookies: unknown;
    const { http } = await ourServer({}, (request) => {
      if (request.resource === '/bad') {
        try {
          request.accept(null, undefined, [{ name: 'a(b', value: 'x' }]);
        } catch (error) {
          thrown = error;
        }
        return;
      }
      cookies = request.cookies;
      request.accept('chat', request.origin, [
        { name: 'token', value: 'xyz', path: '/', httponly: true, maxage: 60 },
        { name: 'flavour', value: 'oat', secure: true },
      ]);
    });
    const client = new theirs.client();
    const response = new Promise<Record<string, string | string[] | undefined>>((resolve) =>
      // Their client keeps the response it validated; its headers carry the cookies.
      client.on('connect', (connection) => {
        resolve((client as unknown as { response: { headers: Record<string, string | string[] | undefined> } }).response.headers);
        connection.drop();
      }),
    );
    client.connect(http.url, ['chat'], 'http://example.test', { Cookie: 'session=abc%201; theme="dark"' });
    const headers = await response;
    expect(headers['set-cookie']).toEqual(['token=xyz;Path=/;Max-Age=60;HttpOnly', 'flavour=oat;Secure']);
    expect(headers.origin).toBe('http://example.test');
    expect(cookies).toEqual([
      { name: 'session', value: 'abc 1' },
      { name: 'theme', value: 'dark' },
    ]);

    const failing = new theirs.client();
    const failed = next<[Error]>(failing, 'connectFailed');
    failing.connect(`${http.url}bad`);
    const [error] = await failed;
    expect(error.message).toContain('500');
    expect((thrown as Error).message).toBe('Illegal character ( in cookie name');
  });

  it('reject(status, reason, extraHeaders): their client sees connectFailed, or the response with httpResponse', async () => {
    const { http } = await ourServer({}, (request) => request.reject(401, 'who are you', { 'WWW-Authenticate': 'Basic' }));
    const client = new theirs.client();
    const failed = next<[Error]>(client, 'connectFailed');
    client.connect(http.url);
    const [error] = await failed;
    expect(error.message).toContain('non-101 status: 401');
    expect(error.message).toContain('x-websocket-reject-reason: who are you');
    expect(error.message).toContain('www-authenticate: Basic');

    const listening = new theirs.client();
    const response = next<[{ statusCode: number; headers: Record<string, string> }]>(listening, 'httpResponse');
    listening.connect(http.url);
    const [res] = await response;
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic');
  });

  it('without a request listener, requests are rejected with 404; autoAcceptConnections accepts the first protocol', async () => {
    const http = await startHttpServer();
    cleanup.add(() => http.close());
    const server = new OurServer({ httpServer: http.server });
    cleanup.add(() => server.shutDown());
    const client = new theirs.client();
    const failed = next<[Error]>(client, 'connectFailed');
    client.connect(http.url);
    expect((await failed)[0].message).toContain('404');

    const autoHttp = await startHttpServer();
    cleanup.add(() => autoHttp.close());
    const auto = new OurServer({ httpServer: autoHttp.server, autoAcceptConnections: true });
    cleanup.add(() => auto.shutDown());
    const { remote } = await theirClient(auto, autoHttp.url, ['first', 'second']);
    expect(remote.protocol).toBe('first');
  });

  it('a frame above maxReceivedFrameSize, or a message above maxReceivedMessageSize, closes with 1009', async () => {
    const { http, server } = await ourServer({ maxReceivedFrameSize: 100, maxReceivedMessageSize: 250 });
    const frameCase = await theirClient(server, http.url, undefined, { fragmentOutgoingMessages: false });
    const frameClose = next<[number, string]>(frameCase.remote, 'close');
    const ourFrameClose = next<[number, string]>(frameCase.local, 'close');
    frameCase.remote.sendBytes(Buffer.alloc(101));
    expect((await frameClose)[0]).toBe(1009);
    expect((await ourFrameClose)[0]).toBe(1009);

    const messageCase = await theirClient(server, http.url, undefined, { fragmentationThreshold: 100 });
    const messageClose = next<[number, string]>(messageCase.remote, 'close');
    messageCase.remote.sendBytes(Buffer.alloc(300));
    expect((await messageClose)[0]).toBe(1009);
  });

  it('keep-alive: pings an idle peer, and drops one that stops answering', async () => {
    // A grace period a busy machine cannot miss: their client answers well within it.
    const { http, server } = await ourServer({ keepaliveInterval: 50, keepaliveGracePeriod: 1000 });
    const { remote, local } = await theirClient(server, http.url);
    // Their client answers pings: the connection stays up across several intervals.
    const pings = new Promise<void>((resolve) => {
      let count = 0;
      remote.on('ping', () => {
        if (++count === 3) resolve();
      });
    });
    await pings;
    expect(local.connected).toBe(true);
    // A peer that stops reading stops answering: dropped with 1006 'Peer not responding.'.
    const ourClose = next<[number, string]>(local, 'close');
    remote.socket.pause();
    expect(await ourClose).toEqual([1006, 'Peer not responding.']);
  });

  it("a socket error is the connection's 'error' event when listened to, and closes with 1006", async () => {
    const { http, server } = await ourServer();
    const first = await theirClient(server, http.url);
    const errors: Error[] = [];
    first.local.on('error', (error) => errors.push(error));
    const closed = next<[number, string]>(first.local, 'close');
    const failure = Object.assign(new Error('boom'), { syscall: 'read', code: 'ECONNRESET' });
    first.local.socket.destroy(failure);
    expect(await closed).toEqual([1006, 'Socket Error: read ECONNRESET']);
    expect(errors).toEqual([failure]);
    // Without a listener nothing throws: the close event still comes.
    const second = await theirClient(server, http.url);
    const secondClosed = next<[number, string]>(second.local, 'close');
    second.local.socket.destroy(new Error('quiet'));
    expect((await secondClosed)[0]).toBe(1006);
  });

  it('ping listeners may cancel the automatic pong and answer themselves', async () => {
    const { http, server } = await ourServer({ keepalive: false });
    const { remote, local } = await theirClient(server, http.url);
    local.on('ping', (cancel, data) => {
      cancel();
      local.pong(Buffer.concat([data, Buffer.from('!')]));
    });
    const pong = next<[Buffer]>(remote, 'pong');
    remote.ping(Buffer.from('hi'));
    expect((await pong)[0].toString()).toBe('hi!');
  });

  it('broadcastUTF / broadcastBytes / broadcast reach every connection', async () => {
    const { http, server } = await ourServer();
    const a = await theirClient(server, http.url);
    const b = await theirClient(server, http.url);
    const got = (remote: theirs.connection) =>
      new Promise<theirs.Message[]>((resolve) => {
        const seen: theirs.Message[] = [];
        remote.on('message', (message) => {
          seen.push(message);
          if (seen.length === 3) resolve(seen);
        });
      });
    const both = Promise.all([got(a.remote), got(b.remote)]);
    server.broadcastUTF('one');
    server.broadcastBytes(Buffer.from('two'));
    server.broadcast('three');
    for (const seen of await both) {
      expect(seen.map((m) => (m.type === 'utf8' ? m.utf8Data : m.binaryData.toString()))).toEqual(['one', 'two', 'three']);
    }
  });

  it('a client offering permessage-deflate is answered without it, and messages flow uncompressed', async () => {
    const { http, server } = await ourServer();
    const client = new WsClient(http.url, { perMessageDeflate: true });
    cleanup.add(() => client.terminate());
    const [local] = await next<[WebSocketConnection]>(server, 'connect');
    await next(client, 'open');
    expect(client.extensions).toBe('');
    local.on('message', (message: Message) => message.type === 'utf8' && local.sendUTF(message.utf8Data.toUpperCase()));
    const reply = next<[Buffer]>(client, 'message');
    client.send('quiet');
    expect(String((await reply)[0])).toBe('QUIET');
  });

  it('shutDown(): closes every connection with 1000 and stops answering upgrades', async () => {
    const { http, server } = await ourServer();
    const { remote } = await theirClient(server, http.url);
    const closed = next<[number, string]>(remote, 'close');
    server.shutDown();
    expect((await closed)[0]).toBe(1000);
    expect(http.server.listenerCount('upgrade')).toBe(0);
  });
});
