#!/usr/bin/env node
/**
 * The Bun comparison (issue 14 §4): echo servers running under Bun, `@sansock/node` against
 * Bun's built-in `Bun.serve` WebSocket (uWebSockets), with the same servers on Node for scale.
 * Separate from run.mjs so that `pnpm bench --quick` (CI) neither needs Bun nor gets slower.
 *
 *   node bench/bun.mjs [--quick] [--runs N] [--rounds N] [--only sansock-bun,...]   (pnpm bench:bun builds first)
 *   BENCH_CPU_PROF=<dir> node bench/bun.mjs ...    servers write a .cpuprofile there (Node and Bun)
 *
 * Every server runs procs/server.mjs in its own process (under Bun: Node's fork with Bun as
 * execPath; Bun speaks Node's IPC). The load generator is the same for all: one raw
 * byte-counting client on Node (procs/raw-echo-client.mjs), so the server is what is measured.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { parseArgs } from './lib/cli.mjs';
import { si, ratio } from './lib/format.mjs';
import { Child, stopAll } from './lib/processes.mjs';
import { betterRatio, summarize } from './lib/stats.mjs';

const requireFromRoot = createRequire(new URL('../package.json', import.meta.url));
const requireFromBench = createRequire(new URL('./package.json', import.meta.url));

/** The real Bun binary (the `bun` devDependency's, linked by its postinstall), or $BUN. */
const BUN = process.env.BUN ?? realpathSync(requireFromRoot.resolve('bun/bin/bun.exe'));
/** The npm ws by file: under Bun the bare specifier `ws` is Bun's own replacement. */
const WS_NPM = realpathSync(requireFromBench.resolve('ws'));

const SERVERS = [
  { id: 'bun-serve', label: 'Bun.serve (uWebSockets), Bun', runtime: 'bun', adapter: 'bun-serve', module: 'Bun.serve' },
  { id: 'sansock-bun', label: '@sansock/node, Bun', runtime: 'bun', adapter: 'ws-api', module: '@sansock/node' },
  { id: 'ws-npm-bun', label: 'ws 8 (npm package), Bun', runtime: 'bun', adapter: 'ws-api', module: WS_NPM },
  { id: 'ws-bun', label: "`ws` as Bun resolves it (Bun's built-in), Bun", runtime: 'bun', adapter: 'ws-api', module: 'ws' },
  { id: 'sansock-node', label: '@sansock/node, Node', runtime: 'node', adapter: 'ws-api', module: '@sansock/node' },
  { id: 'ws-node', label: 'ws + bufferutil, Node', runtime: 'node', adapter: 'ws-api', module: 'ws' },
];
const BASELINE = 'bun-serve';

const MiB = 1024 * 1024;
const CASES = [
  { label: '64 B echo', size: 64, window: 1000, unit: 'messages/s', value: (r) => r.messagesPerSecond },
  { label: '1 MiB echo', size: MiB, window: 4, unit: 'MB/s', value: (r) => r.bytesPerSecond.map((b) => b / 1e6) },
];

const options = parseArgs(process.argv.slice(2));
const timing = options.quick ? { warmupMs: 300, runMs: 300 } : { warmupMs: 1000, runMs: 1000 };
const progress = (text) => process.stderr.write(`${text}\n`);
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

/** One (case, server): a server process on its runtime, one raw client on Node; rates per run. */
async function measure(server, testCase) {
  const children = [];
  try {
    const child = new Child(
      'server.mjs',
      { adapter: server.adapter, module: server.module, mode: 'echo', perMessageDeflate: false },
      { execArgv: profile, execPath: server.runtime === 'bun' ? BUN : undefined },
    );
    children.push(child);
    const { port } = await child.next('listening', 30_000);
    const client = new Child('raw-echo-client.mjs', { port, size: testCase.size, window: testCase.window, runs: options.runs, ...timing });
    children.push(client);
    const result = await client.next('result', timing.warmupMs + timing.runMs * options.runs + 60_000);
    const stats = await child.request({ type: 'stats' }, 'stats', 10_000);
    return { values: testCase.value(result), maxRSS: stats.maxRSS };
  } finally {
    await stopAll(children);
  }
}

const bunVersion = execFileSync(BUN, ['--version'], { encoding: 'utf8' }).trim();
const started = new Date();
const servers = SERVERS.filter((s) => !options.only || s.id === BASELINE || options.only.includes(s.id));
// The machine may be shared (CI, other test suites): every round measures every server once, in
// turn, so load that comes and goes falls on all of them alike rather than on whoever ran then.
const rounds = options.rounds ?? (options.quick ? 1 : 3);
const loadBefore = os.loadavg()[0];

const measured = new Map(); // `${case} ${server}` → { values: number[], maxRSS, failed }
for (let round = 1; round <= rounds; round++) {
  for (const testCase of CASES) {
    for (const server of servers) {
      const key = `${testCase.label} ${server.id}`;
      const entry = measured.get(key) ?? { values: [], maxRSS: 0 };
      measured.set(key, entry);
      const t0 = performance.now();
      try {
        const { values, maxRSS } = await measure(server, testCase);
        entry.values.push(...values);
        entry.maxRSS = Math.max(entry.maxRSS, maxRSS);
        progress(`  round ${round}/${rounds}, ${testCase.label} / ${server.label}: ok [${((performance.now() - t0) / 1000).toFixed(1)} s]`);
      } catch (error) {
        entry.failed = String(error?.message ?? error).split('\n')[0];
        progress(`  round ${round}/${rounds}, ${testCase.label} / ${server.label}: FAILED ${entry.failed}`);
      }
    }
  }
}

console.log(
  [
    `## Bun, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()};` +
      ` Bun ${bunVersion}, Node ${process.version}; 1-minute load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after.` +
      ` Mode: ${options.quick ? 'quick' : 'full'}, ${rounds} round(s) × ${options.runs} runs per server and case (${timing.runMs} ms each).` +
      ` Client: one raw byte-counting WebSocket connection on Node (the same for every server). Ratios: > 1 means faster than Bun.serve.`,
    '',
  ].join('\n'),
);
for (const testCase of CASES) {
  const rows = servers.map((server) => {
    const entry = measured.get(`${testCase.label} ${server.id}`);
    return { server, ...entry, summary: entry.values.length > 0 ? summarize(entry.values) : undefined };
  });
  const baseline = rows.find((r) => r.server.id === BASELINE)?.summary;
  const count = rounds * options.runs;
  console.log(`**${testCase.label}, ${testCase.window} in flight** (${testCase.unit}, median of ${count} runs, higher is better)\n`);
  console.log(`| server, runtime | median | min – max | vs Bun.serve | server peak RSS |`);
  console.log(`|---|---:|---:|---:|---:|`);
  for (const { server, summary, maxRSS, failed } of rows) {
    if (!summary || failed) {
      console.log(`| ${server.label} | failed: ${failed ?? 'no result'} | | | |`);
      continue;
    }
    const vs = baseline ? ratio(betterRatio(summary.median, baseline.median, true)) : '–';
    console.log(`| ${server.label} | ${si(summary.median)} | ${si(summary.min)} – ${si(summary.max)} | ${vs} | ${(maxRSS / MiB).toFixed(0)} MiB |`);
  }
  console.log('');
}
progress(`done in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
