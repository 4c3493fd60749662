/**
 * WebSocketServer's modes and lifecycle, as in `ws`: port/server/noServer exclusivity,
 * handleUpgrade, a custom WebSocket class, clientTracking, address(), and close() semantics
 * ('close' once the server and tracked clients are gone; open clients are not closed).
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { next, portOf } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function listeningHttp(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { server, port: portOf(server) };
}

describe('WebSocketServer modes', () => {
  it('requires exactly one of port, server, noServer', () => {
    const message = 'One and only one of the "port", "server", or "noServer" options must be specified';
    expect(() => new WebSocketServer({})).toThrow(message);
    expect(() => new WebSocketServer({ port: 0, noServer: true })).toThrow(message);
    expect(() => new WebSocketServer({ server: http.createServer(), noServer: true })).toThrow(message);
  });

  it('noServer: handleUpgrade completes the handshake; address() throws', async () => {
    const { server, port } = await listeningHttp();
    const wss = new WebSocketServer({ noServer: true });
    expect(() => wss.address()).toThrow('The server is operating in "noServer" mode');
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(`upgraded ${req.url}`);
        // A second handleUpgrade on the same socket is a programming error, like in ws.
        expect(() => wss.handleUpgrade(req, socket, head, () => {})).toThrow(/called more than once/);
      });
    });
    const client = new WebSocket(`ws://127.0.0.1:${port}/x`);
    cleanup.push(() => client.terminate());
    const [data] = await next<[Buffer]>(client, 'message');
    expect(String(data)).toBe('upgraded /x');
  });

  it('server: shares an http server; a custom WebSocket class is instantiated for connections', async () => {
    class TaggedWebSocket extends WebSocket {
      readonly tag = 'custom';
    }
    const { server, port } = await listeningHttp();
    const wss = new WebSocketServer({ server, WebSocket: TaggedWebSocket });
    cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const connected = next<[TaggedWebSocket]>(wss, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanup.push(() => client.terminate());
    const [ws] = await connected;
    await next(client, 'open');
    expect(ws).toBeInstanceOf(TaggedWebSocket);
    expect(ws.tag).toBe('custom');
    expect(wss.address()).toEqual(server.address());
  });

  it('tracks clients, forgets them on close, and clientTracking: false keeps none', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    await next(wss, 'listening');
    const connected = next<[WebSocket]>(wss, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${portOf(wss)}`);
    const [peer] = await connected;
    await next(client, 'open');
    expect([...wss.clients]).toEqual([peer]);
    const gone = next(peer, 'close');
    client.close();
    await gone;
    expect(wss.clients.size).toBe(0);

    const untracked = new WebSocketServer({ port: 0, host: '127.0.0.1', clientTracking: false });
    cleanup.push(() => new Promise<void>((resolve) => untracked.close(() => resolve())));
    await next(untracked, 'listening');
    const second = next<[WebSocket]>(untracked, 'connection');
    const other = new WebSocket(`ws://127.0.0.1:${portOf(untracked)}`);
    cleanup.push(() => other.terminate());
    await second;
    await next(other, 'open');
    expect(untracked.clients).toBeUndefined(); // as ws
  });

  it('close() with an external server: open clients stay open, "close" waits for the last one', async () => {
    const { server, port } = await listeningHttp();
    const wss = new WebSocketServer({ server });
    const connected = next<[WebSocket]>(wss, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const [peer] = await connected;
    await next(client, 'open');
    let closed = false;
    const serverClosed = new Promise<void>((resolve) =>
      wss.close(() => {
        closed = true;
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    expect(peer.readyState).toBe(WebSocket.OPEN);
    client.close();
    await serverClosed;
    // A second close() reports that the server is not running.
    const again = await new Promise<Error | undefined>((resolve) => wss.close(resolve));
    expect(again?.message).toBe('The server is not running');
  });

  it('rejects upgrades with 503 once closing (noServer)', async () => {
    const { server, port } = await listeningHttp();
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, () => {}));
    wss.close();
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const error = await next<[Error]>(client, 'error');
    expect(error[0].message).toBe('Unexpected server response: 503');
  });
});
