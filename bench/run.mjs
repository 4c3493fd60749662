#!/usr/bin/env node
/**
 * sansock benchmarks: each scenario runs every library it fits (ws with and without bufferutil,
 * sansock, faye-websocket, websocket, raw TCP as the ceiling; uWebSockets.js in scenario 7) in the same run, client and server
 * in separate processes, and prints one Markdown table per scenario with ratios against
 * ws + bufferutil. Results are saved as JSON in bench/results/.
 *
 *   node bench/run.mjs [--quick] [--scenario echo,codec] [--runs N] [--only sansock,net]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/cli.mjs';
import { BASELINE, LIBRARIES } from './lib/libraries.mjs';
import { Unavailable } from './lib/processes.mjs';
import { scenarioTables } from './lib/report.mjs';
import { summarize } from './lib/stats.mjs';
import echo from './scenarios/echo.mjs';
import fanout from './scenarios/fanout.mjs';
import large from './scenarios/large.mjs';
import connections from './scenarios/connections.mjs';
import codec from './scenarios/codec.mjs';
import compressed from './scenarios/compressed.mjs';
import servers from './scenarios/servers.mjs';

const SCENARIOS = [echo, fanout, large, connections, codec, compressed, servers];

const options = parseArgs(process.argv.slice(2));
const selected = options.scenarios ? SCENARIOS.filter((s) => options.scenarios.includes(s.name)) : SCENARIOS;
const unknown = (options.scenarios ?? []).filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const knownLibraries = new Set(SCENARIOS.flatMap((s) => s.libraries));
const unknownLibraries = (options.only ?? []).filter((lib) => !knownLibraries.has(lib));
if (unknownLibraries.length > 0) {
  console.error(`unknown librar(ies): ${unknownLibraries.join(', ')}; known: ${[...knownLibraries].join(', ')}`);
  process.exit(2);
}

const ctx = { quick: options.quick, runs: options.runs, rounds: options.rounds, caseFilter: options.caseFilter };
const progress = (text) => process.stderr.write(`${text}\n`);
const started = new Date();
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memory: os.totalmem(),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
};

const header = [
  `## sansock benchmarks, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${machine.cpus} × ${machine.cpuModel}, ${(machine.memory / 2 ** 30).toFixed(1)} GiB, ${machine.platform}; Node ${machine.node}.` +
    ` Mode: ${options.quick ? 'quick' : 'full'}, ${options.runs} runs per case. Ratios: > 1 means better than ${LIBRARIES[BASELINE].label}.`,
  '',
];
console.log(header.join('\n'));

const report = { date: started.toISOString(), machine, quick: options.quick, runs: options.runs, scenarios: [] };
for (const scenario of selected) {
  const libs = scenario.libraries.filter((lib) => !options.only || lib === BASELINE || options.only.includes(lib));
  if (scenario.runAll) {
    // Scenario 7 runs its libraries round-robin itself (and prints its own tables).
    const { table, results } = await scenario.runAll(ctx, libs, progress);
    console.log(table);
    report.scenarios.push({ name: scenario.name, title: scenario.title, results });
    continue;
  }
  const cases = scenario.cases(ctx);
  const results = [];
  for (const testCase of cases) {
    for (const lib of libs) {
      const label = `${scenario.name} / ${testCase.label} / ${scenario.libraryLabels?.[lib] ?? LIBRARIES[lib]?.label ?? lib}`;
      const t0 = performance.now();
      const row = { case: testCase.label, lib, label: scenario.libraryLabels?.[lib] };
      try {
        const measured = await scenario.measure(ctx, lib, testCase);
        if (measured === null) continue; // this library has no row in this case
        row.metrics = Object.fromEntries(Object.entries(measured).map(([key, values]) => [key, summarize(values)]));
        const empty = scenario.metrics.find((m) => m.higherIsBetter && row.metrics[m.key]?.median === 0);
        if (empty) {
          row.failed = `no complete message within a run (${empty.label} = 0): too slow for this run length`;
          delete row.metrics;
        }
      } catch (error) {
        if (error instanceof Unavailable) row.unavailable = error.message;
        else row.failed = error?.message ?? String(error);
      }
      results.push(row);
      const status = row.unavailable ? `unavailable (${row.unavailable})` : row.failed ? `FAILED: ${row.failed}` : 'ok';
      progress(`  ${label}: ${status} [${((performance.now() - t0) / 1000).toFixed(1)} s]`);
    }
  }
  const caseLabels = cases.map((c) => c.label);
  const table = scenarioTables({ ...scenario, caseLabels }, results, options.runs);
  console.log(table);
  report.scenarios.push({ name: scenario.name, title: scenario.title, results });
}

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const file = `${resultsDir}${started.toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
progress(`results saved to ${file} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
