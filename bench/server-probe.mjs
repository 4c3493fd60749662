#!/usr/bin/env node
// One scenario-7 server under the raw load generator, with its work counted by the kernel:
// `perf stat` on the server process (write/read syscalls, page faults, context switches) over
// a window after a warm-up, beside its user and system CPU time per message. For A/B runs of
// two builds (run it from each worktree in turn): syscalls per message tell batching apart from
// per-syscall cost, and user vs system time tells our code from the kernel's copies and wakeups.
//   node bench/server-probe.mjs <library: sansock|ws|uws> <case: broadcast|echo64|16kib|1mib> [seconds]
// PROBE_SCRIPT=<path relative to bench/procs/> runs another server script (procs/raw-echo-floor.mjs).
// Needs `perf` with access to syscall tracepoints (root, or perf_event_paranoid <= 1).
import { spawn } from 'node:child_process';
import { Child, stopAll } from './lib/processes.mjs';
import { LIBRARIES } from './lib/libraries.mjs';
import { STEADY_MALLOC } from './lib/steady-malloc.mjs';

const [lib = 'sansock', which = 'broadcast', seconds = '3'] = process.argv.slice(2);
const CASES = {
  broadcast: { mode: 'publish', role: 'broadcast', size: 64, clients: 500, window: 20 },
  echo64: { role: 'echo', size: 64, connections: 1, window: 1000 },
  '16kib': { role: 'echo', size: 16 * 1024, connections: 1, window: 64 },
  '1mib': { role: 'echo', size: 1024 * 1024, connections: 1, window: 4 },
};
const EVENTS = ['syscalls:sys_enter_write', 'syscalls:sys_enter_writev', 'syscalls:sys_enter_read', 'syscalls:sys_enter_sendto', 'syscalls:sys_enter_recvfrom', 'page-faults', 'context-switches'];
const testCase = CASES[which];
const library = LIBRARIES[lib];
if (!testCase || !library) throw new Error(`usage: server-probe.mjs <${Object.keys(LIBRARIES).join('|')}> <${Object.keys(CASES).join('|')}> [seconds]`);
const env = { ...STEADY_MALLOC, ...library.env };
const server = new Child(process.env.PROBE_SCRIPT ?? 'server.mjs', { adapter: library.adapter, module: library.module, mode: testCase.mode ?? 'echo', perMessageDeflate: false }, { env });
const children = [server];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  const { port } = await server.next('listening', 30_000);
  const spawnClient = (config) => {
    const child = new Child('raw-load-client.mjs', { port, ...config }, { env: STEADY_MALLOC });
    children.push(child);
    return child;
  };
  const half = Math.floor((testCase.clients ?? 0) / 2);
  const clients =
    testCase.role === 'echo'
      ? [spawnClient({ role: 'echo', connections: testCase.connections, size: testCase.size, window: testCase.window })]
      : [
          spawnClient({ role: 'broadcast', connections: testCase.clients - half - 1, pinger: true, size: testCase.size, window: testCase.window }),
          spawnClient({ role: 'broadcast', connections: half, size: testCase.size, window: testCase.window }),
        ];
  await Promise.all(clients.map((c) => c.next('ready', 120_000)));
  await Promise.all(clients.map((c) => c.request({ type: 'start' }, 'started', 30_000)));
  await sleep(1500);
  const mark = async () => {
    const [cpu, ...marks] = await Promise.all([server.request({ type: 'cpu' }, 'cpu', 10_000), ...clients.map((c) => c.request({ type: 'mark' }, 'mark', 10_000))]);
    return { cpu, messages: marks.reduce((sum, m) => sum + m.messages, 0), time: performance.now() };
  };
  const before = await mark();
  const perf = spawn('perf', ['stat', '-x', ',', '-e', EVENTS.join(','), '-p', String(server.process.pid), '--', 'sleep', seconds], { stdio: ['ignore', 'ignore', 'pipe'] });
  let counts = '';
  perf.stderr.on('data', (chunk) => (counts += chunk));
  await new Promise((resolve) => perf.on('exit', resolve));
  const after = await mark();
  const n = after.messages - before.messages;
  const user = after.cpu.user - before.cpu.user;
  const system = after.cpu.system - before.cpu.system;
  const unit = testCase.role === 'echo' ? 'message' : 'delivery';
  const perUnit = (micros) => ((1000 * micros) / n).toFixed(1);
  console.log(`${lib} ${which}: ${n} ${unit}s, ${((n / (after.time - before.time)) * 1000).toFixed(0)}/s; server CPU ns per ${unit}: ${perUnit(user + system)} (user ${perUnit(user)}, system ${perUnit(system)})`);
  for (const line of counts.trim().split('\n')) {
    const [value, , name] = line.split(',');
    if (name && Number(value) > 0) console.log(`  ${name.padEnd(28)} ${(Number(value) / n).toFixed(4)} per ${unit}`);
  }
} finally {
  await stopAll(children);
}
