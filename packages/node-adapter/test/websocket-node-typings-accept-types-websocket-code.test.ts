/**
 * Typings: code written against `@types/websocket` (WebSocket-Node's names used as types:
 * `connection`, `request`, `Message`, `IServerConfig`, `IMessageEvent`...) compiles against
 * @sansock/node/websocket-node with only the import path changed; `tsc -p test/tsconfig.json`
 * checks it (the root `pnpm test` runs it). It also runs, over a real connection.
 */
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import {
  type ICookie,
  type IMessageEvent,
  type IRouterRequest,
  type IServerConfig,
  type IUtf8Message,
  type Message,
  client as WebSocketClient,
  type connection,
  type request,
  router as WebSocketRouter,
  server as WebSocketServer,
  w3cwebsocket,
} from '@sansock/node/websocket-node';
import { portOf } from './helpers.js';

const httpServers: http.Server[] = [];
afterEach(async () => {
  for (const server of httpServers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

// Handlers as @types/websocket users annotate them.
function onMessage(connection: connection, message: Message): void {
  if (message.type === 'utf8') connection.sendUTF(message.utf8Data);
  else connection.sendBytes(message.binaryData);
}

function onRequest(request: request): void {
  const cookies: ICookie[] = [{ name: 'id', value: '1', httponly: true }];
  const connection: connection = request.accept('echo', request.origin, cookies);
  connection.on('message', (message: Message) => onMessage(connection, message));
  connection.on('close', (reasonCode: number, description: string) => void [reasonCode, description]);
}

it('compiles and runs code typed with @types/websocket names', async () => {
  const httpServer = http.createServer();
  httpServers.push(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const config: IServerConfig = { httpServer, autoAcceptConnections: false, keepalive: false };
  const wsServer = new WebSocketServer(config);
  const router = new WebSocketRouter();
  router.attachServer(wsServer);
  router.mount('/echo', 'echo', (request: IRouterRequest) => onRequest(request.webSocketRequest));
  wsServer.on('close', (_connection: connection, reason: number) => void reason);

  const url = `ws://127.0.0.1:${portOf(httpServer)}/echo`;
  const client = new WebSocketClient();
  const reply = new Promise<string>((resolve, reject) => {
    client.on('connectFailed', (error: Error) => reject(error));
    client.on('connect', (connection: connection) => {
      connection.on('message', (message: Message) => {
        resolve((message as IUtf8Message).utf8Data);
        connection.close();
      });
      connection.sendUTF('typed');
    });
  });
  client.connect(url, 'echo');
  expect(await reply).toBe('typed');

  const socket = new w3cwebsocket(url, 'echo');
  const w3cReply = new Promise<IMessageEvent['data']>((resolve) => {
    socket.onmessage = (event: IMessageEvent) => {
      resolve(event.data);
      socket.close();
    };
  });
  socket.onopen = () => socket.send('w3c');
  expect(await w3cReply).toBe('w3c');
  wsServer.shutDown();
});
