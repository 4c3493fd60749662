/** Room-server child processes (fixtures/room-server.mjs on the built dist) and ws clients for them. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { BusKind } from './bus-servers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'room-server.mjs');
const DIST = join(import.meta.dirname, '..', 'dist', 'index.js');

export interface RoomProcess {
  readonly port: number;
  readonly child: ChildProcess;
  kill(): Promise<void>;
}

export async function startRoomProcess(kind: BusKind, busPort: number): Promise<RoomProcess> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: the multi-process tests run the built packages (pnpm build)`);
  const child = spawn(process.execPath, [FIXTURE, kind, String(busPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`room server exited: ${stderr}`);
  const { port } = JSON.parse(first.value) as { port: number };
  return {
    port,
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A client in a room: every message it receives, as text (binary ones as `bin:<hex>`). */
export interface RoomClient {
  readonly ws: WebSocket;
  readonly received: string[];
  readonly closed: Promise<void>;
}

export async function joinRoom(port: number, room: string): Promise<RoomClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${encodeURIComponent(room)}`);
  const received: string[] = [];
  ws.on('message', (data: Buffer, binary) => received.push(binary ? `bin:${data.toString('hex')}` : data.toString()));
  ws.on('error', () => {});
  const closed = once(ws, 'close').then(() => undefined);
  await once(ws, 'open');
  return { ws, received, closed };
}

/** How many times each message was received. */
export function counts(messages: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const message of messages) seen.set(message, (seen.get(message) ?? 0) + 1);
  return seen;
}
