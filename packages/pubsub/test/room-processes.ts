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

/**
 * Presence heartbeat every 100 ms, a dead process's members gone 3 s after its last word: a
 * process starved of CPU for a second (the whole suite on 2 cores) is still alive.
 */
export const PRESENCE_TTL_MS = 3000;

export async function startRoomProcess(kind: BusKind, busPort: number): Promise<RoomProcess> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: the multi-process tests run the built packages (pnpm build)`);
  const args = [FIXTURE, kind, String(busPort), '100', String(PRESENCE_TTL_MS)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** `query`: `name=alice` joins the room's presence, `watch=1` gets its presence events (see the fixture). */
export async function joinRoom(port: number, room: string, query = ''): Promise<RoomClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${encodeURIComponent(room)}${query === '' ? '' : `?${query}`}`);
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

/** The room's members across processes, as the client's server process sees them now. */
export async function askMembers(client: RoomClient): Promise<string[]> {
  const before = client.received.filter((m) => m.startsWith('members:')).length;
  client.ws.send('?members');
  for (;;) {
    const answers = client.received.filter((m) => m.startsWith('members:'));
    if (answers.length > before) return JSON.parse(answers[before]!.slice('members:'.length)) as string[];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
