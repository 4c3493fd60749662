#!/usr/bin/env node
// Pub/sub fan-out: deliveries per second to the members of one room, with the room spread over
// 1, 2 and 4 server processes joined by a bus (Redis, NATS), against one process without a bus.
// One publisher client sends `--messages` 64-byte messages in windows of `--window` (it waits
// until every member has the window before the next: no unbounded queues); a delivery is one
// message received by one member. Not part of `pnpm bench` (it needs redis-server/nats-server).
//   pnpm run build && node bench/pubsub.mjs [--clients 200] [--messages 2000] [--window 50] [--runs 3]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const CLIENTS = arg('clients', 200);
const MESSAGES = arg('messages', 2000);
const WINDOW = arg('window', 50);
const RUNS = arg('runs', 3);
const SERVER = join(import.meta.dirname, 'procs', 'pubsub-server.mjs');

// Every child (bus servers, server processes) is killed when the bench exits, however it exits.
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
const track = (child) => (children.add(child), child.once('exit', () => children.delete(child)), child);

const which = (binary) => ['/usr/bin', '/usr/sbin', '/usr/local/bin'].map((dir) => join(dir, binary)).find(existsSync);

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startBus(kind) {
  const port = await freePort();
  const args = kind === 'redis' ? ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'] : ['-a', '127.0.0.1', '-p', String(port)];
  const child = track(spawn(which(`${kind}-server`), args, { stdio: 'ignore' }));
  await waitForPort(port);
  return { port, stop: () => child.kill('SIGKILL') };
}

async function startServer(kind, busPort) {
  const child = track(spawn(process.execPath, [SERVER, kind, String(busPort ?? 0)], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  return { port: JSON.parse(line.value).port, stop: () => child.kill('SIGKILL') };
}

async function measure(processes, kind) {
  const bus = kind === 'none' ? undefined : await startBus(kind);
  const servers = [];
  for (let i = 0; i < processes; i++) servers.push(await startServer(kind, bus?.port));
  let delivered = 0;
  let waiting = null;
  const members = [];
  for (let i = 0; i < CLIENTS; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${servers[i % processes].port}/`);
    ws.on('message', () => {
      delivered++;
      if (waiting !== null && delivered >= waiting.target) waiting.resolve();
    });
    await new Promise((resolve) => ws.once('open', resolve));
    members.push(ws);
  }
  // Every member hears a warm-up message first: the bus subscriptions are all in place.
  const publisher = members[0];
  await new Promise((resolve) => {
    waiting = { target: CLIENTS, resolve };
    publisher.send('warm-up');
  });
  delivered = 0;
  const payload = Buffer.alloc(64, 7);
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < MESSAGES; sent += WINDOW) {
    await new Promise((resolve) => {
      waiting = { target: (sent + WINDOW) * CLIENTS, resolve };
      for (let i = 0; i < WINDOW; i++) publisher.send(payload);
    });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const ws of members) ws.terminate();
  for (const server of servers) server.stop();
  bus?.stop();
  return delivered / seconds;
}

const cases = [{ processes: 1, kind: 'none' }];
for (const kind of ['redis', 'nats']) {
  if (!which(`${kind}-server`)) {
    console.error(`skipping ${kind}: ${kind}-server is not installed (sudo apt-get install -y ${kind}-server)`);
    continue;
  }
  for (const processes of [1, 2, 4]) cases.push({ processes, kind });
}
console.log(`${CLIENTS} members in one room, ${MESSAGES} messages of 64 B from one publisher, window ${WINDOW}, ${RUNS} runs\n`);
console.log('| processes | bus | deliveries/s (min–max of runs) | median |');
console.log('|---|---|---|---|');
for (const { processes, kind } of cases) {
  const rates = [];
  for (let run = 0; run < RUNS; run++) rates.push(await measure(processes, kind));
  rates.sort((a, b) => a - b);
  const k = (n) => `${Math.round(n / 1000)}k`;
  console.log(`| ${processes} | ${kind} | ${k(rates[0])}–${k(rates.at(-1))} | ${k(rates[Math.floor(rates.length / 2)])} |`);
}
