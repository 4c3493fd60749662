/** Helpers for the WebSocket-Node tests: http servers on 127.0.0.1:0 that close with every socket they saw. */
import http from 'node:http';
import type { Socket } from 'node:net';
import { portOf } from './helpers.js';

export interface TestHttpServer {
  readonly server: http.Server;
  readonly port: number;
  readonly url: string;
  /** Destroys every socket (upgraded ones included) and closes the server. */
  close(): Promise<void>;
}

/** An http server answering plain requests with 404, as WebSocket-Node's README server does. */
export async function startHttpServer(): Promise<TestHttpServer> {
  const server = http.createServer((_request, response) => {
    response.writeHead(404);
    response.end();
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  return {
    server,
    port,
    url: `ws://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs the cleanups registered by a test, last first. */
export class Cleanup {
  private readonly tasks: Array<() => unknown> = [];
  add(task: () => unknown): void {
    this.tasks.push(task);
  }
  async run(): Promise<void> {
    while (this.tasks.length > 0) await this.tasks.pop()!();
  }
}
