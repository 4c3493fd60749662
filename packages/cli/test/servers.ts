/** Echo servers to point the CLI at: ours and the real `ws` one, recording what they saw. */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as wsPackage from 'ws';
import { WebSocketServer } from '@sansock/node';

export interface EchoServer {
  readonly url: string;
  /** Upgrade requests received, in order. */
  readonly requests: IncomingMessage[];
  /** Every server-side socket, in order of connection. */
  readonly sockets: Array<{ close(code?: number, reason?: string): void; terminate(): void; ping(data?: string): void; send(data: string): void }>;
  close(): Promise<void>;
}

export async function startEcho(kind: 'ours' | 'ws', options: { perMessageDeflate?: boolean } = {}): Promise<EchoServer> {
  const requests: IncomingMessage[] = [];
  const sockets: EchoServer['sockets'] = [];
  const serverOptions = {
    port: 0,
    host: '127.0.0.1',
    perMessageDeflate: options.perMessageDeflate ?? false,
    handleProtocols: (protocols: Set<string>) => [...protocols][0] ?? false,
  };
  const wss = kind === 'ours' ? new WebSocketServer(serverOptions) : new wsPackage.WebSocketServer(serverOptions);
  wss.on('connection', (ws: wsPackage.WebSocket, request: IncomingMessage) => {
    requests.push(request);
    sockets.push(ws);
    ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(data, { binary: isBinary }));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    requests,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
