#!/usr/bin/env node
/**
 * The Deno section of the benchmarks (issue 14 §4): @sansock/deno against Deno's built-in
 * WebSocket, under the same load generators.
 *   server: bench/deno/echo-server.ts (ours or Deno.serve + upgradeWebSocket), driven by the
 *           Node echo client every other scenario uses (procs/echo-client.mjs over ws).
 *   client: bench/deno/echo-client.ts (ours or Deno's WebSocket) against the same Node ws server.
 * 64 B echo (1000 in flight) and 1 MiB echo (4 in flight). Each case is repeated --repeat times
 * (fresh processes) with --runs timed windows each, alternating implementations, because the
 * machine is shared: the table gives the median and the range of every window, and the CPU time
 * the measured side spent per echoed message (user + system, from /proc or process.cpuUsage),
 * which contention changes much less than throughput.
 *
 *   node bench/deno.mjs [--quick] [--repeat N] [--runs N]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Child, stopAll } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';
import { si } from './lib/format.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The binary itself, not node_modules/.bin/deno: that is a shell wrapper, and killing it would leave deno running.
const DENO = `${ROOT}node_modules/deno/deno`;
const DENO_FLAGS = ['run', '--config', `${ROOT}packages/deno-adapter/deno.json`, '--allow-net=127.0.0.1'];

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const quick = args.includes('--quick');
const repeat = flag('--repeat', quick ? 1 : 3);
const runs = flag('--runs', quick ? 2 : 5);
const warmupMs = quick ? 300 : 1000;
const runMs = quick ? 300 : 1000;

const CASES = [
  { label: '64 B', size: 64, window: 1000 },
  { label: '1 MiB', size: 1024 * 1024, window: 4 },
];

/** Starts a Deno script; resolves with the process and its first JSON line. */
function startDeno(script, scriptArgs) {
  const child = spawn(DENO, [...DENO_FLAGS, `${ROOT}bench/deno/${script}`, ...scriptArgs.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, first };
}

/** CPU time (user + system) of a process so far, in µs, from /proc (Linux); undefined elsewhere. */
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

function stopDeno(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

/** Our Deno server or Deno's, with the Node ws echo client as the load. */
async function serverCase(impl, { size, window }) {
  const server = startDeno('echo-server.ts', [impl]);
  let client;
  try {
    const { port } = await server.first;
    const cpuBefore = cpuMicros(server.child.pid);
    client = new Child('echo-client.mjs', { adapter: 'ws-api', module: 'ws', port, size, window, warmupMs, runMs, runs });
    const result = await client.next('result', warmupMs + runMs * runs + 60_000);
    const cpuAfter = cpuMicros(server.child.pid);
    const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / (result.totalBytes / size);
    return { rates: result.messagesPerSecond, cpu };
  } finally {
    await stopAll([client]);
    await stopDeno(server.child);
  }
}

/** Our Deno client or Deno's, against the Node ws echo server. */
async function clientCase(impl, { size, window }) {
  const server = new Child('server.mjs', { adapter: 'ws-api', module: 'ws', mode: 'echo' });
  try {
    const { port } = await server.next('listening', 30_000);
    const client = startDeno('echo-client.ts', [impl, port, size, window, warmupMs, runMs, runs]);
    const result = await client.first;
    await stopDeno(client.child);
    return { rates: result.messagesPerSecond, cpu: result.cpuMicrosPerMessage };
  } finally {
    await stopAll([server]);
  }
}

const denoVersion = await new Promise((resolve) => {
  const child = spawn(DENO, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.on('exit', () => resolve(out.split('\n')[0]));
});

const cpuCell = (values) =>
  values.length === 0 ? '–' : `${median(values).toPrecision(3)} (${Math.min(...values).toPrecision(3)} – ${Math.max(...values).toPrecision(3)})`;

const started = new Date();
console.log(`## Deno, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC\n`);
console.log(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${denoVersion}; ` +
    `load generator Node ${process.version} + ws. ${repeat} × ${runs} windows of ${runMs} ms per case, implementations alternating.\n`,
);
console.log(
  '| role | message | @sansock/deno (msg/s) | Deno built-in (msg/s) | ratio (median) | ratio range (per repeat) | CPU µs/msg, ours | CPU µs/msg, built-in | CPU ratio (built-in / ours) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [role, measure] of [
  ['server', serverCase],
  ['client', clientCase],
]) {
  for (const testCase of CASES) {
    const ours = [];
    const theirs = [];
    const ratios = [];
    const oursCpu = [];
    const theirsCpu = [];
    for (let i = 0; i < repeat; i++) {
      process.stderr.write(`${role} ${testCase.label} repeat ${i + 1}/${repeat}\n`);
      const a = await measure('sansock', testCase);
      const b = await measure('builtin', testCase);
      ours.push(...a.rates);
      theirs.push(...b.rates);
      ratios.push(median(a.rates) / median(b.rates));
      if (a.cpu !== undefined) oursCpu.push(a.cpu);
      if (b.cpu !== undefined) theirsCpu.push(b.cpu);
    }
    const range = (values) => `${si(Math.min(...values))} – ${si(Math.max(...values))}`;
    console.log(
      `| ${role} | ${testCase.label} | ${si(median(ours))} (${range(ours)}) | ${si(median(theirs))} (${range(theirs)}) | ` +
        `${(median(ours) / median(theirs)).toFixed(2)}× | ${Math.min(...ratios).toFixed(2)}× – ${Math.max(...ratios).toFixed(2)}× | ` +
        `${cpuCell(oursCpu)} | ${cpuCell(theirsCpu)} | ${oursCpu.length && theirsCpu.length ? `${(median(theirsCpu) / median(oursCpu)).toFixed(2)}×` : '–'} |`,
    );
  }
}
