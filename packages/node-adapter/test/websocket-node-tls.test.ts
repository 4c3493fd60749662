/**
 * wss: with WebSocket-Node's API on both ends, over an https server with a self-signed
 * certificate: our server mounted on it with their client, and our client (its `tlsOptions`)
 * with their server. An untrusted certificate is a connectFailed.
 */
import https from 'node:https';
import type { Socket } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as theirs from 'websocket';
import { type WebSocketConnection, client as OurClient, server as OurServer } from '@sansock/node/websocket-node';
import { next, portOf } from './helpers.js';

let pems: { cert: string; private: string };
const servers: https.Server[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  } as Parameters<typeof generate>[1]);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function httpsServer(): Promise<{ server: https.Server; url: string }> {
  const server = https.createServer({ cert: pems.cert, key: pems.private });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await next(server, 'listening');
  return { server, url: `wss://127.0.0.1:${portOf(server)}/` };
}

it('our server on https with their client', async () => {
  const { server, url } = await httpsServer();
  const ours = new OurServer({ httpServer: server, autoAcceptConnections: true, keepalive: false });
  ours.on('connect', (connection) => connection.on('message', (m) => m.type === 'utf8' && connection.sendUTF(`secure ${m.utf8Data}`)));
  const client = new theirs.client({ tlsOptions: { ca: pems.cert } });
  const connected = next<[theirs.connection]>(client, 'connect');
  client.connect(url);
  const [connection] = await connected;
  const reply = next<[theirs.Message]>(connection, 'message');
  connection.sendUTF('hello');
  expect((await reply)[0]).toEqual({ type: 'utf8', utf8Data: 'secure hello' });
  ours.shutDown();
});

it('our client with tlsOptions against their server; an untrusted certificate fails', async () => {
  const { server, url } = await httpsServer();
  const original = new theirs.server({ httpServer: server, autoAcceptConnections: true, keepalive: false });
  original.on('connect', (connection) => connection.on('message', (m) => m.type === 'utf8' && connection.sendUTF(m.utf8Data.toUpperCase())));
  const client = new OurClient({ tlsOptions: { ca: pems.cert } });
  const connected = next<[WebSocketConnection]>(client, 'connect');
  client.connect(url);
  const [connection] = await connected;
  const reply = next<[{ utf8Data: string }]>(connection, 'message');
  connection.sendUTF('tls');
  expect((await reply)[0].utf8Data).toBe('TLS');
  connection.close();

  const untrusting = new OurClient();
  const failed = next<[Error & { code?: string }]>(untrusting, 'connectFailed');
  untrusting.connect(url);
  expect((await failed)[0].code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  original.shutDown();
});
