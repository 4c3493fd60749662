/**
 * Real Redis and NATS servers for the multi-process tests (Debian's redis-server and
 * nats-server), each on a free port of 127.0.0.1, killed by the test that started it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import type { PeerLookup } from '../../node-adapter/test/peers/peer-suite.js';

export type BusKind = 'redis' | 'nats';

const BINARIES: Record<BusKind, { binary: string; apt: string }> = {
  redis: { binary: 'redis-server', apt: 'redis-server' },
  nats: { binary: 'nats-server', apt: 'nats-server' },
};

/** The server binary on PATH (or in the sbin directories apt puts them in), or how to install it. */
export function findBusServer(kind: BusKind): PeerLookup<{ binary: string }> {
  const { binary, apt } = BINARIES[kind];
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (dir !== '' && existsSync(join(dir, binary))) return { found: true, peer: { binary: join(dir, binary) } };
  }
  return { found: false, missing: `${binary} is not installed`, install: `sudo apt-get install -y ${apt}` };
}

/** A port free right now (bound to 0 and released): Redis needs a real port number. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (no timing assumption: retries until the test's timeout). */
export async function waitForPort(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BusServer {
  readonly port: number;
  /** Kills the server (SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

export async function startBusServer(kind: BusKind, binary: string, port: number): Promise<BusServer> {
  const args =
    kind === 'redis'
      ? ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no']
      : ['-a', '127.0.0.1', '-p', String(port)];
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([waitForPort(port), exited.then(() => Promise.reject(new Error(`${binary} exited at start (port ${port})`)))]);
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
