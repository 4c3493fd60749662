/**
 * The client's options and handshake outcomes, as `ws` has them: subprotocols, headers and
 * origin, redirects, unexpected responses, handshake timeout, ws+unix:, agent/createConnection,
 * finishRequest, permessage-deflate negotiation, maxPayload, allowSynchronousEvents, autoPong.
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf, rawServer } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function server(options: ConstructorParameters<typeof WebSocketServer>[0] = {}): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  cleanup.push(() => closeServer(wss));
  await next(wss, 'listening');
  return { wss, port: portOf(wss) };
}

async function httpServer(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: portOf(server) };
}

/** Runs a client to its 'close', recording 'error' messages and the close code in order. */
async function outcome(ws: WebSocket): Promise<string[]> {
  const order: string[] = [];
  ws.on('error', (error) => order.push(`error: ${error.message}`));
  await new Promise<void>((resolve) =>
    ws.on('close', (code) => {
      order.push(`close ${code}`);
      resolve();
    }),
  );
  return order;
}

describe('client options', () => {
  it('sends subprotocols, origin and extra headers; exposes protocol, url and extensions', async () => {
    const { wss, port } = await server({ perMessageDeflate: true });
    const request = next<[WebSocket, http.IncomingMessage]>(wss, 'connection');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/room?id=7`, ['chat', 'superchat'], {
      origin: 'https://app.example',
      headers: { Authorization: 'Bearer t0ken', 'X-Custom': 'yes' },
    });
    cleanup.push(() => ws.terminate());
    await next(ws, 'open');
    const [peer, req] = await request;
    expect(req.url).toBe('/room?id=7');
    expect(req.headers.origin).toBe('https://app.example');
    expect(req.headers.authorization).toBe('Bearer t0ken');
    expect(req.headers['x-custom']).toBe('yes');
    expect(ws.protocol).toBe('chat');
    expect(peer.protocol).toBe('chat');
    expect(ws.url).toBe(`ws://127.0.0.1:${port}/room?id=7`);
    expect(ws.extensions).toBe('permessage-deflate');
    expect(peer.extensions).toBe('permessage-deflate');
    const echoed = next<[Buffer]>(peer, 'message');
    ws.send('compressible '.repeat(1000), { compress: true });
    expect(String((await echoed)[0])).toBe('compressible '.repeat(1000));
  });

  it('accepts http: URLs and the protocols option; rejects bad URLs and subprotocols synchronously like ws', async () => {
    const { port } = await server();
    const ws = new WebSocket(`http://127.0.0.1:${port}`, { protocols: 'one' });
    cleanup.push(() => ws.terminate());
    expect(ws.url).toBe(`ws://127.0.0.1:${port}/`);
    await next(ws, 'open');
    expect(() => new WebSocket('not a url')).toThrow(SyntaxError);
    expect(() => new WebSocket('ftp://example.com')).toThrow('The URL\'s protocol must be one of "ws:", "wss:", "http:", "https:", or "ws+unix:"');
    expect(() => new WebSocket('ws://example.com/#frag')).toThrow('The URL contains a fragment identifier');
    expect(() => new WebSocket(`ws://127.0.0.1:${port}`, ['a', 'a'])).toThrow(SyntaxError);
    expect(() => new WebSocket(`ws://127.0.0.1:${port}`, { protocolVersion: 7 as 13 })).toThrow(RangeError);
  });

  it('fails with "Server sent no subprotocol" when the server picks none', async () => {
    const { port } = await server({ handleProtocols: () => false });
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, 'wanted');
    expect(await outcome(ws)).toEqual(['error: Server sent no subprotocol', 'close 1006']);
  });

  it('emits unexpected-response (and no error) when someone listens, else "Unexpected server response: 404"', async () => {
    const { port } = await httpServer((_req, res) => {
      res.writeHead(404);
      res.end('nope');
    });
    const plain = new WebSocket(`ws://127.0.0.1:${port}`);
    expect(await outcome(plain)).toEqual(['error: Unexpected server response: 404', 'close 1006']);

    const handled = new WebSocket(`ws://127.0.0.1:${port}`);
    const statuses: number[] = [];
    handled.on('unexpected-response', (req, res) => {
      statuses.push(res.statusCode ?? 0);
      res.resume();
      req.destroy();
      handled.terminate();
    });
    const order = await outcome(handled);
    expect(statuses).toEqual([404]);
    expect(order.at(-1)).toBe('close 1006');
  });

  it('follows redirects when asked, emitting redirect(url, req), and stops at maxRedirects', async () => {
    const { port: wsPort } = await server();
    const { port } = await httpServer((req, res) => {
      res.writeHead(302, { Location: req.url === '/loop' ? '/loop' : `ws://127.0.0.1:${wsPort}/final` });
      res.end();
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/start`, { followRedirects: true });
    cleanup.push(() => ws.terminate());
    const redirected = next<[string, http.ClientRequest]>(ws, 'redirect');
    await next(ws, 'open');
    expect((await redirected)[0]).toBe(`ws://127.0.0.1:${wsPort}/final`);
    expect(ws.url).toBe(`ws://127.0.0.1:${wsPort}/final`);

    const looping = new WebSocket(`ws://127.0.0.1:${port}/loop`, { followRedirects: true, maxRedirects: 2 });
    expect(await outcome(looping)).toEqual(['error: Maximum redirects exceeded', 'close 1006']);

    const notFollowing = new WebSocket(`ws://127.0.0.1:${port}/start`);
    expect(await outcome(notFollowing)).toEqual(['error: Unexpected server response: 302', 'close 1006']);
  });

  it('times out a handshake the server never answers (handshakeTimeout)', async () => {
    const silent = net.createServer((socket) => {
      socket.on('error', () => {});
      cleanup.push(() => {
      socket.destroy();
    });
    });
    silent.listen(0, '127.0.0.1');
    await next(silent, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const ws = new WebSocket(`ws://127.0.0.1:${portOf(silent)}`, { handshakeTimeout: 100 });
    expect(await outcome(ws)).toEqual(['error: Opening handshake has timed out', 'close 1006']);
  });

  it('fails on a wrong Sec-WebSocket-Accept, with the core\'s message', async () => {
    const fake = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () =>
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAA\r\n\r\n'),
      );
      cleanup.push(() => {
      socket.destroy();
    });
    });
    fake.listen(0, '127.0.0.1');
    await next(fake, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => fake.close(() => resolve())));
    const ws = new WebSocket(`ws://127.0.0.1:${portOf(fake)}`);
    expect(await outcome(ws)).toEqual(['error: Invalid Sec-WebSocket-Accept header', 'close 1006']);
  });

  it('connects over a unix socket with ws+unix:', async () => {
    const socketPath = path.join(os.tmpdir(), `sansock-${process.pid}-${Date.now()}.sock`);
    const httpServerOnPipe = http.createServer();
    const wss = new WebSocketServer({ server: httpServerOnPipe });
    const request = next<[WebSocket, http.IncomingMessage]>(wss, 'connection');
    httpServerOnPipe.listen(socketPath);
    await next(httpServerOnPipe, 'listening');
    cleanup.push(() => new Promise<void>((resolve) => httpServerOnPipe.close(() => resolve())));
    cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const ws = new WebSocket(`ws+unix:${socketPath}:/over/ipc`);
    await next(ws, 'open');
    const [peer, req] = await request;
    expect(req.url).toBe('/over/ipc');
    const closed = next<[number]>(ws, 'close');
    peer.close(1000);
    expect((await closed)[0]).toBe(1000);
  });

  it('uses the given agent and createConnection, and lets finishRequest end the request', async () => {
    const { port, wss } = await server();
    const agent = new http.Agent({ keepAlive: false });
    cleanup.push(() => agent.destroy());
    let agentUsed = 0;
    const original = agent.createConnection.bind(agent);
    agent.createConnection = ((options: net.NetConnectOpts, callback: unknown) => {
      agentUsed++;
      return original(options, callback as never);
    }) as typeof agent.createConnection;
    const viaAgent = new WebSocket(`ws://127.0.0.1:${port}`, { agent });
    cleanup.push(() => viaAgent.terminate());
    await next(viaAgent, 'open');
    expect(agentUsed).toBe(1);

    let created = 0;
    let finished = 0;
    const connected = next<[WebSocket, http.IncomingMessage]>(wss, 'connection');
    const custom = new WebSocket(`ws://127.0.0.1:${port}`, {
      createConnection: (options) => {
        created++;
        return net.connect({ host: options.host ?? undefined, port: Number(options.port) });
      },
      finishRequest: (req) => {
        finished++;
        req.setHeader('X-Late', 'added');
        req.end();
      },
    });
    cleanup.push(() => custom.terminate());
    await next(custom, 'open');
    const [, req] = await connected;
    expect([created, finished, req.headers['x-late']]).toEqual([1, 1, 'added']);
  });

  it('maxPayload: a message over the limit fails the connection with 1009', async () => {
    const { wss, port } = await server();
    wss.on('connection', (peer) => peer.send(Buffer.alloc(2048)));
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 1024 });
    const errors: string[] = [];
    ws.on('error', (error: Error & { code?: string }) => errors.push(error.code ?? ''));
    const serverSide = next<[WebSocket]>(wss, 'connection');
    const [peer] = await serverSide;
    const [code] = await next<[number]>(peer, 'close');
    expect(code).toBe(1009);
    expect(errors).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']);
  });

  it('allowSynchronousEvents: false emits one message per macrotask', async () => {
    const { wss, port } = await server();
    wss.on('connection', (peer) => {
      for (let i = 0; i < 3; i++) peer.send(`m${i}`);
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { allowSynchronousEvents: false });
    cleanup.push(() => ws.terminate());
    // Each message handler schedules an immediate; with allowSynchronousEvents: false the next
    // message waits for setImmediate, so the previous handler's immediate has always run.
    const previousImmediateRan: boolean[] = [];
    let last = { ran: true };
    await new Promise<void>((resolve) => {
      ws.on('message', () => {
        previousImmediateRan.push(last.ran);
        const mine = { ran: false };
        setImmediate(() => (mine.ran = true));
        last = mine;
        if (previousImmediateRan.length === 3) resolve();
      });
    });
    expect(previousImmediateRan).toEqual([true, true, true]);
  });

  it('autoPong: false leaves pings unanswered; ping events still fire', async () => {
    const peerSocket = await rawServer((socket) => {
      socket.write(Buffer.from([0x89, 0x02, 0x68, 0x69]));
    });
    cleanup.push(() => peerSocket.close());
    const ws = new WebSocket(`ws://127.0.0.1:${peerSocket.port}`, { autoPong: false });
    cleanup.push(() => ws.terminate());
    const [data] = await next<[Buffer]>(ws, 'ping');
    expect(String(data)).toBe('hi');
    let bytesFromClient = 0;
    for (const socket of peerSocket.sockets) socket.on('data', (chunk: Buffer) => (bytesFromClient += chunk.length));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bytesFromClient).toBe(0);
  });

  it('maxPendingAutoPongs: a peer that pings faster than our pongs are written is terminated', async () => {
    let serverSocket: net.Socket | undefined;
    const peer = await rawServer((socket) => {
      serverSocket = socket;
    });
    cleanup.push(() => peer.close());
    let clientSocket: net.Socket | undefined;
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}`, {
      maxPendingAutoPongs: 3,
      createConnection: (options) => {
        clientSocket = net.connect({ host: options.host ?? undefined, port: Number(options.port) });
        return clientSocket;
      },
    });
    await next(ws, 'open');
    // Corked, the socket holds our pongs: none of their writes completes.
    clientSocket!.cork();
    let pings = 0;
    ws.on('ping', () => pings++);
    const closed = next<[number]>(ws, 'close');
    serverSocket!.write(Buffer.from([0x89, 0x00, 0x89, 0x00, 0x89, 0x00, 0x89, 0x00]));
    expect((await closed)[0]).toBe(1006);
    expect(pings).toBe(4);
  });
});
