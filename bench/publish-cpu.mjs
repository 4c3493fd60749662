#!/usr/bin/env node
// CPU time of the server per delivered message for a broadcast of 64 B to N clients (issue #21's
// "broadcast" shape): `wss.publish` against a `ws.send` loop over `wss.clients`. Counts CPU, not
// wall time, so a busy machine changes little; variants alternate, reversed on odd rounds. The
// clients are raw byte counters (lib/raw-ws-client.mjs) in this process; one pinger keeps
// `--window` messages outstanding.
//   pnpm run build && node bench/publish-cpu.mjs [--clients 500] [--messages 4000] [--window 20] [--rounds 6]
// PROFILE_DIR=<dir> writes a CPU profile of each server process there. UWS_NODE=<path of
// uWebSockets.js's .node binary> adds uWebSockets.js's app.publish (procs/publish-cpu-uws-server.cjs).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { maskedFrame, rawConnect } from './lib/raw-ws-client.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const CLIENTS = arg('clients', 500);
const MESSAGES = arg('messages', 4000);
const WINDOW = arg('window', 20);
const ROUNDS = arg('rounds', 6);
const SIZE = 64;
const FRAME = SIZE + 2;
const SERVER = join(import.meta.dirname, 'procs', 'publish-cpu-server.mjs');
const UWS_SERVER = join(import.meta.dirname, 'procs', 'publish-cpu-uws-server.cjs');

async function measure(mode) {
  const profile = process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, mode === 'uws' ? UWS_SERVER : SERVER], { env: { ...process.env, MODE: mode }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async () => {
    child.stdin.write('mark\n');
    return JSON.parse((await lines.next()).value);
  };
  const { port } = JSON.parse((await lines.next()).value);
  let bytes = 0;
  const conns = [];
  for (let i = 0; i < CLIENTS; i++) {
    const conn = await rawConnect(port);
    conn.onBytes((n) => (bytes += n));
    conns.push(conn);
  }
  const pinger = await rawConnect(port);
  const total = CLIENTS + 1;
  const frame = maskedFrame(Buffer.alloc(SIZE, 0x42));
  const run = (count) =>
    new Promise((resolve) => {
      let sent = 0;
      let back = 0;
      // The refill goes out in one write (as procs/raw-load-client.mjs does): written frame by
      // frame, how many of them the server found in one read depended on its own speed (a faster
      // server read them one by one, made more writes per delivery and looked slower).
      const pump = () => {
        const missing = Math.min(count - sent, WINDOW - (sent - back));
        if (missing <= 0) return;
        pinger.write(missing === 1 ? frame : Buffer.concat(Array.from({ length: missing }, () => frame)));
        sent += missing;
      };
      pinger.onBytes((n) => {
        back += n / FRAME;
        if (back >= count) resolve();
        else pump();
      });
      pump();
    });
  await run(500); // warm-up
  const before = await ask();
  const bytesBefore = bytes;
  await run(MESSAGES);
  const after = await ask();
  // Every other client has its copies too before the counts are taken.
  while ((bytes - bytesBefore) / FRAME < MESSAGES * CLIENTS) await new Promise((resolve) => setTimeout(resolve, 10));
  const deliveries = (after.fannedOut - before.fannedOut) * total;
  for (const conn of [...conns, pinger]) conn.socket.destroy();
  child.stdin.end(); // the server exits (and writes its profile, with PROFILE_DIR)
  await new Promise((resolve) => child.once('exit', resolve));
  return (after.cpuMicros - before.cpuMicros) / deliveries;
}

const modes = (process.env.MODES ?? (process.env.UWS_NODE ? 'publish,uws,sendloop' : 'publish,sendloop')).split(',');
const results = Object.fromEntries(modes.map((mode) => [mode, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) results[mode].push(await measure(mode));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${CLIENTS} clients, ${MESSAGES} messages of ${SIZE} B, window ${WINDOW}, ${ROUNDS} rounds: server CPU ns per delivery`);
for (const mode of modes) console.log(`${mode.padEnd(9)} median ${(median(results[mode]) * 1000).toFixed(1)}  [${results[mode].map((v) => (v * 1000).toFixed(1)).join(', ')}]`);
process.exit(0);
