/**
 * Servers under test: the same echo server built on each ws-compatible module. A target is a
 * module name; one that cannot be loaded (not written yet, broken build) is reported as
 * unavailable rather than failing the whole run.
 */
import { once } from 'node:events';

export interface Target {
  readonly name: string;
  /** A ws-compatible module (its WebSocketServer runs the echo server), or 'core' for the bare core over node:net. */
  readonly module: string;
}

export const TARGETS: readonly Target[] = [
  { name: 'ws', module: 'ws' },
  { name: '@sansock/node', module: '@sansock/node' },
  { name: 'sansock-core', module: 'core' },
];

/** The largest message the echo servers accept (case 9.5 announces more). */
export const ECHO_MAX_PAYLOAD = 16 * 1024 * 1024;

interface PeerSocket {
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  send(data: unknown, options: { binary: boolean }): void;
  terminate(): void;
}
interface ServerLike {
  on(event: 'connection', listener: (socket: PeerSocket) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  address(): { port: number } | string | null;
  close(callback?: () => void): void;
  clients?: Set<PeerSocket>;
}
type ServerConstructor = new (options: { port: number; host: string; maxPayload: number; perMessageDeflate?: object | false }) => ServerLike;

/** The permessage-deflate settings of the deflate echo servers: compress every message (threshold 0). */
export const ECHO_DEFLATE_OPTIONS = { threshold: 0 } as const;

export interface EchoServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function loadServerConstructor(target: Target): Promise<ServerConstructor | string> {
  try {
    const mod = (await import(/* @vite-ignore */ target.module)) as { WebSocketServer?: unknown; default?: { WebSocketServer?: unknown } };
    const ctor = mod.WebSocketServer ?? mod.default?.WebSocketServer;
    if (typeof ctor !== 'function') return `${target.module} has no WebSocketServer export`;
    return ctor as ServerConstructor;
  } catch (error) {
    return `${target.module} cannot be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** Starts the target's echo server (with permessage-deflate if `deflate`), or says why it cannot. */
export async function startTargetServer(target: Target, deflate = false): Promise<EchoServer | string> {
  if (target.module === 'core') {
    const { startCoreEchoServer } = await import('./core-echo-server.js');
    return startCoreEchoServer(ECHO_MAX_PAYLOAD, deflate);
  }
  const Server = await loadServerConstructor(target);
  return typeof Server === 'string' ? Server : startEchoServer(Server, deflate);
}

/** Starts an echo server (every message sent back as it came, text as text, binary as binary). */
export async function startEchoServer(Server: ServerConstructor, deflate = false): Promise<EchoServer> {
  const server = new Server({ port: 0, host: '127.0.0.1', maxPayload: ECHO_MAX_PAYLOAD, perMessageDeflate: deflate ? { ...ECHO_DEFLATE_OPTIONS } : false });
  const sockets = new Set<PeerSocket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('error', () => {
      /* protocol errors are the point of most cases */
    });
  });
  server.on('error', () => {});
  await once(server as unknown as NodeJS.EventEmitter, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server has no TCP port');
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
