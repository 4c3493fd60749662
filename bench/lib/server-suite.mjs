/**
 * Scenario 7, `servers` (issue 21): the server side of ws, sansock and uWebSockets.js (µWS,
 * which has no client) under one load generator that uses none of them (procs/raw-load-client.mjs).
 * Every round measures every library once per case, in turn, the order reversed on odd rounds,
 * so load from other processes on a shared machine falls on all of them alike; tables take the
 * median over every round's windows. Beside throughput: the server's CPU time per message
 * (process.cpuUsage() over the same window), which a busy machine disturbs much less. Every
 * process runs with glibc's malloc thresholds fixed (lib/steady-malloc.mjs).
 */
import { Child, Unavailable, stopAll } from './processes.mjs';
import { BASELINE, LIBRARIES } from './libraries.mjs';
import { STEADY_MALLOC } from './steady-malloc.mjs';
import { betterRatio, summarize } from './stats.mjs';
import { bytes, precise, ratio, si } from './format.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
export const RECORD = 'uws';
const CLIENT_PROCESSES = 2; // broadcast and idle: the connections are split over 2 processes

/**
 * The same zlib settings for ws and sansock (ws's defaults, written out); µWS takes its own
 * (see adapters/uws.mjs), so its deflate row is reported apart.
 */
const DEFLATE = { threshold: 1024, concurrencyLimit: 10, zlibDeflateOptions: { level: 6, memLevel: 8 } };

function cases(quick) {
  const clients = quick ? 100 : 500;
  const idle = quick ? 500 : 5000;
  return [
    { label: 'echo 64 B, 1 connection', role: 'echo', size: 64, connections: 1, window: 1000, unit: 'messages/s' },
    { label: 'echo 64 B, 50 connections', role: 'echo', size: 64, connections: 50, window: 1000, unit: 'messages/s' },
    { label: `broadcast 64 B to ${clients} clients`, role: 'broadcast', mode: 'publish', size: 64, clients, window: 20, unit: 'deliveries/s' },
    { label: 'echo 16 KiB', role: 'echo', size: 16 * KiB, connections: 1, window: 64, unit: 'MB/s' },
    { label: 'echo 1 MiB', role: 'echo', size: MiB, connections: 1, window: 4, unit: 'MB/s' },
    { label: 'deflate echo 1 KiB JSON', role: 'echo', size: KiB, connections: 1, window: 1000, deflate: true, unit: 'messages/s' },
    { label: `idle connections (${idle.toLocaleString('en')})`, role: 'idle', clients: idle, unit: 'bytes' },
  ];
}

const profileArgs = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** One (case, library) in one round: a fresh server, fresh clients; values per window. */
async function measureOnce(lib, testCase, timing) {
  const library = LIBRARIES[lib];
  const env = { ...STEADY_MALLOC, ...library.env };
  const perMessageDeflate = testCase.deflate ? (lib === RECORD ? true : DEFLATE) : false;
  const execArgv = [...profileArgs(), ...(testCase.role === 'idle' ? ['--expose-gc'] : [])];
  const server = new Child(
    'server.mjs',
    { adapter: library.adapter, module: library.module, mode: testCase.mode ?? 'echo', perMessageDeflate },
    { env, execArgv },
  );
  const children = [server];
  const spawn = (clientConfig) => {
    const child = new Child('raw-load-client.mjs', { port, ...clientConfig }, { env: STEADY_MALLOC, execArgv: profileArgs() });
    children.push(child);
    return child;
  };
  let port;
  try {
    const listening = await server.next('listening', 30_000);
    port = listening.port;
    if (testCase.role === 'idle') return await measureIdle(server, spawn, testCase);
    const clients =
      testCase.role === 'echo'
        ? [spawn({ role: 'echo', connections: testCase.connections, size: testCase.size, window: testCase.window, deflate: !!testCase.deflate })]
        : split(testCase.clients).map((share, i) =>
            // Process 0 holds the pinger, which counts as one of the clients.
            spawn({ role: 'broadcast', connections: i === 0 ? share - 1 : share, pinger: i === 0, size: testCase.size, window: testCase.window }),
          );
    await Promise.all(clients.map((c) => c.next('ready', 120_000)));
    await Promise.all(clients.map((c) => c.request({ type: 'start' }, 'started', 30_000)));
    await sleep(timing.warmupMs);
    const rate = [];
    const cpuPerMessage = [];
    let last = await mark(server, clients);
    for (let run = 0; run < timing.runs; run++) {
      await sleep(timing.runMs);
      const now = await mark(server, clients);
      const messages = now.messages - last.messages;
      rate.push((messages / (now.time - last.time)) * 1000 * (testCase.unit === 'MB/s' ? testCase.size / 1e6 : 1));
      cpuPerMessage.push(messages > 0 ? (now.cpu - last.cpu) / messages : Number.NaN);
      last = now;
    }
    if (testCase.deflate && last.compressed === 0) throw new Error("the server's echoes were not compressed");
    return { rate, cpuPerMessage, topics: listening.topics };
  } finally {
    await stopAll(children);
  }
}

/** Messages received by every client so far, the server's CPU time (µs) and the time (ms). */
async function mark(server, clients) {
  const [cpu, ...marks] = await Promise.all([
    server.request({ type: 'cpu' }, 'cpu', 10_000),
    ...clients.map((c) => c.request({ type: 'mark' }, 'mark', 10_000)),
  ]);
  return {
    time: performance.now(),
    cpu: cpu.user + cpu.system,
    messages: marks.reduce((sum, m) => sum + m.messages, 0),
    compressed: marks.reduce((sum, m) => sum + m.compressed, 0),
  };
}

/** Server memory before and after `clients` idle connections (after gc), per connection. */
async function measureIdle(server, spawn, { clients }) {
  const before = await server.request({ type: 'memory' }, 'memory', 60_000);
  const procs = split(clients).map((share) => spawn({ role: 'idle', connections: share }));
  await Promise.all(procs.map((p) => p.next('ready', 180_000)));
  const after = await server.request({ type: 'memory', expectConnections: clients }, 'memory', 60_000);
  if (after.connections < clients) throw new Error(`server saw ${after.connections} of ${clients} connections`);
  return {
    rssPerConnection: [(after.rss - before.rss) / clients],
    heapPerConnection: [(after.heapUsed + after.external - before.heapUsed - before.external) / clients],
    newSpacePerConnection: [(after.newSpace - before.newSpace) / clients],
  };
}

function split(total) {
  return Array.from({ length: CLIENT_PROCESSES }, (_, i) => Math.floor(total / CLIENT_PROCESSES) + (i < total % CLIENT_PROCESSES ? 1 : 0));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs every case for `libs` (round-robin, reversed on odd rounds); returns the rows. */
export async function runServerSuite({ quick, runs, rounds, caseFilter }, libs, progress) {
  const timing = quick ? { warmupMs: 200, runMs: 200, runs: Math.min(runs, 2) } : { warmupMs: 1000, runMs: 1000, runs: Math.min(runs, 3) };
  rounds ??= quick ? 1 : 3;
  const rows = [];
  for (const testCase of cases(quick).filter((c) => !caseFilter || c.label.includes(caseFilter))) {
    const collected = new Map(libs.map((lib) => [lib, { lib, case: testCase.label, values: {} }]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 1 ? [...libs].reverse() : libs;
      for (const lib of order) {
        const row = collected.get(lib);
        if (row.unavailable || row.failed) continue;
        const t0 = performance.now();
        try {
          const measured = await measureOnce(lib, testCase, timing);
          for (const [key, values] of Object.entries(measured)) {
            if (Array.isArray(values)) (row.values[key] ??= []).push(...values);
            else row[key] = values;
          }
        } catch (error) {
          if (error instanceof Unavailable) row.unavailable = error.message;
          else row.failed = error?.message ?? String(error);
        }
        const status = row.unavailable ? `unavailable (${row.unavailable})` : row.failed ? `FAILED: ${row.failed}` : 'ok';
        progress(`  servers / ${testCase.label} / ${LIBRARIES[lib].label} / round ${round + 1}: ${status} [${((performance.now() - t0) / 1000).toFixed(1)} s]`);
      }
    }
    for (const row of collected.values()) {
      row.metrics = Object.fromEntries(Object.entries(row.values).map(([key, values]) => [key, summarize(values.filter(Number.isFinite))]));
      delete row.values;
      rows.push({ ...row, unit: testCase.unit, deflate: !!testCase.deflate });
    }
  }
  return { rows, rounds, timing };
}

/** The Markdown tables: throughput with CPU per message, then memory per idle connection. */
export function serverSuiteTables({ rows, rounds, timing }) {
  const out = [
    '### 7. Servers: ws, sansock and uWebSockets.js',
    '',
    `Server side only, one load generator for all (raw WebSocket clients over TCP, no library under test). ` +
      `${rounds} round(s), each measuring every library in turn (order reversed on odd rounds), ${timing.runs} windows of ` +
      `${timing.runMs} ms each after a ${timing.warmupMs} ms warm-up; medians over all windows. CPU = the server's user + system ` +
      'time per message (per delivery for broadcast) in the same windows. Deflate: ws and sansock with the same zlib options ' +
      `(${JSON.stringify(DEFLATE)}); µWS with its own (dedicated 4 KiB compressor), so its row is apart. Broadcast: µWS uses ` +
      '`app.publish`, sansock `wss.publish` where it exists (else, like ws, a send loop).',
    '',
    `| case | library | median | min – max | CPU µs/msg | vs ${LIBRARIES[BASELINE].label} | vs µWS | CPU vs µWS |`,
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  const find = (c, lib) => rows.find((r) => r.case === c && r.lib === lib);
  const throughputRows = rows.filter((r) => r.unit !== 'bytes');
  for (const row of throughputRows) {
    const label = labelOf(row);
    const m = row.metrics?.rate;
    if (!m || !(m.median > 0)) {
      out.push(`| ${row.case} | ${label} | ${row.unavailable ? `unavailable: ${row.unavailable}` : `failed: ${oneLine(row.failed ?? 'no result')}`} | | | | | |`);
      continue;
    }
    const base = find(row.case, BASELINE)?.metrics?.rate;
    const record = find(row.case, RECORD);
    const cpu = row.metrics.cpuPerMessage;
    const apart = row.deflate ? ' (own settings)' : '';
    const vsRecord = row.lib === RECORD ? '' : ratio(betterRatio(m.median, record?.metrics?.rate?.median, true)) + (row.deflate && record ? '*' : '');
    const cpuVsRecord = row.lib === RECORD ? '' : ratio(betterRatio(cpu?.median, record?.metrics?.cpuPerMessage?.median, false));
    const fmt = row.unit === 'MB/s' ? (v) => `${si(v)} MB/s` : si;
    out.push(
      `| ${row.case} | ${label}${row.lib === RECORD ? apart : ''} | ${fmt(m.median)} | ${fmt(m.min)} – ${fmt(m.max)} | ${cpu ? precise(cpu.median) : '–'} | ` +
        `${ratio(betterRatio(m.median, base?.median, true))} | ${vsRecord} | ${cpuVsRecord} |`,
    );
  }
  out.push(
    '',
    '**Memory per idle connection** (server process, after gc; one value per round, lower is better). The young generation ' +
      'is empty after gc but stays committed at the size the connection burst grew it to (V8 heuristics, not per-connection state).',
    '',
  );
  out.push(
    `| case | library | RSS | heap + external (live) | of RSS: empty young generation | RSS vs ${LIBRARIES[BASELINE].label} | RSS vs µWS |`,
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const row of rows.filter((r) => r.unit === 'bytes')) {
    const rss = row.metrics?.rssPerConnection;
    if (!rss) {
      out.push(`| ${row.case} | ${labelOf(row)} | ${row.unavailable ? `unavailable: ${row.unavailable}` : `failed: ${oneLine(row.failed ?? 'no result')}`} | | | | |`);
      continue;
    }
    const base = find(row.case, BASELINE)?.metrics?.rssPerConnection?.median;
    const record = find(row.case, RECORD)?.metrics?.rssPerConnection?.median;
    out.push(
      `| ${row.case} | ${labelOf(row)} | ${bytes(rss.median)} | ${bytes(row.metrics.heapPerConnection.median)} | ${bytes(row.metrics.newSpacePerConnection.median)} | ` +
        `${ratio(betterRatio(rss.median, base, false))} | ${row.lib === RECORD ? '' : ratio(betterRatio(rss.median, record, false))} |`,
    );
  }
  out.push('', 'Ratios: > 1 means better than the column\'s library (throughput: ours / theirs; CPU and memory: theirs / ours). * µWS compresses with other settings.', '');
  return out.join('\n');
}

function labelOf(row) {
  const label = LIBRARIES[row.lib]?.label ?? row.lib;
  return row.topics ? `${label} (publish)` : label;
}

function oneLine(text) {
  const line = String(text).split('\n')[0];
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
