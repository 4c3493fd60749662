/**
 * `ws` fidelity: the property shape of the WebSocket class, the private fields applications
 * read anyway (`ws._socket`, `wss._server`), `clientTracking: false`, the send callback's
 * argument, and closing a client before it opened. Each is compared with the `ws` package.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: Array<{ close(callback?: () => void): unknown }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function ourServer(options: Record<string, unknown> = {}): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  await next(wss, 'listening');
  return wss;
}

describe('property shape, as ws', () => {
  const constants = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;
  const attributes = ['binaryType', 'bufferedAmount', 'extensions', 'isPaused', 'protocol', 'readyState', 'url'];

  it('the readyState constants are enumerable, read-only, on the class and the prototype', () => {
    for (const name of constants) {
      for (const [ours, theirs] of [
        [WebSocket, wsPackage.WebSocket],
        [WebSocket.prototype, wsPackage.WebSocket.prototype],
      ] as const) {
        expect(Object.getOwnPropertyDescriptor(ours, name)).toEqual(Object.getOwnPropertyDescriptor(theirs, name));
        expect(Object.getOwnPropertyDescriptor(ours, name)).toMatchObject({ enumerable: true, writable: false });
      }
    }
  });

  it('the attributes are enumerable, configurable accessors on the prototype', () => {
    for (const name of [...attributes, 'onopen', 'onmessage', 'onclose', 'onerror']) {
      const ours = Object.getOwnPropertyDescriptor(WebSocket.prototype, name)!;
      const theirs = Object.getOwnPropertyDescriptor(wsPackage.WebSocket.prototype, name)!;
      expect({ name, enumerable: ours.enumerable, configurable: ours.configurable, get: typeof ours.get, set: typeof ours.set }).toEqual({
        name,
        enumerable: theirs.enumerable,
        configurable: theirs.configurable,
        get: typeof theirs.get,
        set: typeof theirs.set,
      });
    }
  });

  it('server-side url is undefined; _socket and _server are the real socket and server, not enumerable', async () => {
    const wss = await ourServer();
    servers.push(wss);
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss)}`);
    const [serverSide] = (await next(wss, 'connection')) as [WebSocket];
    await next(client, 'open');
    expect(serverSide.url).toBeUndefined();
    expect(client.url).toBe(`ws://127.0.0.1:${portOf(wss)}/`);
    expect(client._socket).toBeInstanceOf(net.Socket);
    expect(serverSide._socket).toBeInstanceOf(net.Socket);
    expect((serverSide._socket as net.Socket).remoteAddress).toBe('127.0.0.1');
    expect((client._socket as net.Socket).remotePort).toBe(portOf(wss));
    expect(Object.keys(client)).not.toContain('_socket');
    expect(wss._server).toBeInstanceOf(http.Server);
    expect(Object.keys(wss)).not.toContain('_server');
    client.terminate();
    await next(serverSide, 'close');
  });

  it('clientTracking: false leaves clients undefined, as ws', async () => {
    const wss = await ourServer({ clientTracking: false });
    servers.push(wss);
    const theirs = new wsPackage.WebSocketServer({ noServer: true, clientTracking: false });
    expect(theirs.clients).toBeUndefined();
    expect(wss.clients).toBeUndefined();
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss)}`);
    const [serverSide] = (await next(wss, 'connection')) as [WebSocket];
    await next(client, 'open');
    client.close();
    await next(serverSide, 'close');
  });

  it('the send callback gets null once written, as ws', async () => {
    const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    await next(wss, 'listening');
    servers.push(wss);
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss)}`);
    await next(client, 'open');
    const args = await new Promise<unknown[]>((resolve) => client.send('hi', (...a: unknown[]) => resolve(a)));
    expect(args).toEqual([null]);
    const pingArgs = await new Promise<unknown[]>((resolve) => client.ping('p', undefined, (...a: unknown[]) => resolve(a)));
    expect(pingArgs).toEqual([null]);
    client.terminate();
    await next(client, 'close');
    await closeServer(wss as never);
    servers.pop();
  });
});

describe('constructor arguments, as ws', () => {
  it("an invalid or duplicated subprotocol throws ws's SyntaxError, word for word", () => {
    for (const subprotocol of [null, '', 'a,b', ['a', 'a']]) {
      expect(() => new WebSocket('ws://127.0.0.1:1', subprotocol as never)).toThrow(
        expect.objectContaining({ name: 'SyntaxError', message: 'An invalid or duplicated subprotocol was specified' }),
      );
      expect(() => new wsPackage.WebSocket('ws://127.0.0.1:1', subprotocol as never)).toThrow('An invalid or duplicated subprotocol was specified');
    }
  });
});

describe('closing a client before it opened, as ws', () => {
  const ABORTED = 'WebSocket was closed before the connection was established';

  for (const method of ['close', 'terminate'] as const) {
    it(`${method}() from an 'upgrade' listener: no 'open'; 'error' with ws's message, then 'close'`, async () => {
      const wss = await ourServer();
      servers.push(wss);
      const client = new WebSocket(`ws://127.0.0.1:${portOf(wss)}`);
      const seen: string[] = [];
      client.on('open', () => seen.push('open'));
      client.on('upgrade', () => {
        client[method]();
        seen.push(`readyState ${client.readyState}`);
      });
      client.on('error', (error) => seen.push(`error ${error.message}`));
      const [code] = (await next(client, 'close')) as [number];
      seen.push(`close ${code} ${client.readyState}`);
      expect(seen).toEqual(['readyState 2', `error ${ABORTED}`, 'close 1006 3']);
    });
  }

  it("close() after an unexpected response ends the attempt and frees the server's socket", async () => {
    const server = http.createServer();
    server.on('upgrade', (_req, socket: net.Socket) => {
      socket.on('end', () => socket.end());
      socket.write('HTTP/1.1 502 Bad Gateway\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nfoo');
    });
    server.listen(0, '127.0.0.1');
    await next(server, 'listening');
    const client = new WebSocket(`ws://127.0.0.1:${portOf(server as never)}`);
    client.on('unexpected-response', (_req, res) => {
      res.resume();
      res.on('end', () => client.close());
    });
    const errored = next<[Error]>(client, 'error');
    await next(client, 'close');
    expect((await errored)[0].message).toBe(ABORTED);
    // The server's close completes only once the client let go of the socket.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
