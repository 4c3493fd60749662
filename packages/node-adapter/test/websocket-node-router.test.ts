/**
 * WebSocketRouter on our WebSocket-Node server, with the real `websocket` client as the peer:
 * routes by exact path, by '*', by RegExp and by protocol, 404 for what no route takes, and
 * mount/unmount rules.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as theirs from 'websocket';
import { server as OurServer, router as OurRouter, type WebSocketRouterRequest } from '@sansock/node/websocket-node';
import { next } from './helpers.js';
import { Cleanup, startHttpServer } from './websocket-node-helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function routed() {
  const http = await startHttpServer();
  const server = new OurServer({ httpServer: http.server, keepalive: false });
  const router = new OurRouter({ server });
  cleanup.add(() => http.close());
  cleanup.add(() => server.shutDown());
  return { http, server, router };
}

/** Connects their client; resolves with the protocol it got, or the connectFailed message. */
function attempt(url: string, protocols?: string[]): Promise<{ protocol?: string; failed?: string }> {
  const client = new theirs.client();
  return new Promise((resolve) => {
    client.on('connect', (connection) => {
      resolve({ protocol: connection.protocol });
      connection.close();
    });
    client.on('connectFailed', (error) => resolve({ failed: error.message }));
    client.connect(url, protocols);
  });
}

describe('WebSocketRouter', () => {
  it('routes by path and protocol, tries the client protocols in order, and rejects the rest with 404', async () => {
    const { http, router } = await routed();
    const hits: string[] = [];
    const handler = (name: string) => (request: WebSocketRouterRequest) => {
      hits.push(`${name}:${request.protocol}:${request.resource}`);
      request.accept(request.origin);
    };
    router.mount('/chat', 'chat-v2', handler('chat2'));
    router.mount('/chat', 'chat-v1', handler('chat1'));
    router.mount('/plain', null, handler('plain'));
    router.mount(/^\/files\/\d+$/, '*', handler('files'));
    router.mount('*', 'any', handler('star'));

    expect(await attempt(`${http.url}chat`, ['chat-v1', 'chat-v2'])).toEqual({ protocol: 'chat-v1' });
    expect(await attempt(`${http.url}chat?room=1`, ['chat-v2'])).toEqual({ protocol: 'chat-v2' });
    expect(await attempt(`${http.url}plain`)).toEqual({ protocol: undefined });
    expect(await attempt(`${http.url}files/42`, ['whatever'])).toEqual({ protocol: 'whatever' });
    expect(await attempt(`${http.url}files/42`)).toEqual({ protocol: undefined });
    expect(await attempt(`${http.url}somewhere/else`, ['any'])).toEqual({ protocol: 'any' });
    const missing = await attempt(`${http.url}chat`, ['chat-v3']);
    expect(missing.failed).toContain('404');
    expect(hits).toEqual([
      'chat1:chat-v1:/chat',
      'chat2:chat-v2:/chat?room=1',
      'plain:null:/plain',
      'files:whatever:/files/42',
      'files:null:/files/42',
      'star:any:/somewhere/else',
    ]);
  });

  it('a RouterRequest can reject with a status, and emits requestAccepted with the connection', async () => {
    const { http, server, router } = await routed();
    router.mount('/no', null, (request) => request.reject(451, 'nope'));
    let accepted: unknown;
    router.mount('/yes', null, (request) => {
      request.once('requestAccepted', (connection) => (accepted = connection));
      request.accept();
    });
    expect((await attempt(`${http.url}no`)).failed).toContain('451');
    const connected = next(server, 'connect');
    expect(await attempt(`${http.url}yes`)).toEqual({ protocol: undefined });
    expect((await connected)[0]).toBe(accepted);
  });

  it('one handler per path and protocol; unmount and detachServer', async () => {
    const { http, server, router } = await routed();
    const noop = (request: WebSocketRouterRequest) => request.accept();
    router.mount('/a', 'P', noop);
    expect(() => router.mount('/a', 'p', noop)).toThrow('You may only mount one handler per path/protocol combination.');
    router.unmount('/a', 'p');
    expect(() => router.unmount('/a', 'p')).toThrow('Unable to find a route');
    expect(() => router.mount('', null, noop)).toThrow('You must specify a path');
    router.mount('/a', null, noop);
    router.detachServer();
    expect(server.listenerCount('request')).toBe(0);
    expect(() => router.detachServer()).toThrow('not attached');
    // With no 'request' listener left, the server itself rejects with 404.
    expect((await attempt(`${http.url}a`)).failed).toContain('404');
  });
});
