#!/usr/bin/env node
/**
 * @sansock/node/websocket-node against the original `websocket` package (WebSocket-Node 1.0.35),
 * through the same adapter (adapters/websocket-node.mjs, which only uses WebSocket-Node's API):
 * 64 B and 1 MiB binary messages echoed on one connection, client and server in separate
 * processes, as in scenarios 1 and 3. Imports the built packages: run `pnpm build` first.
 *
 *   node bench/websocket-node-entry.mjs [--quick] [--runs N]
 */
import { parseArgs } from './lib/cli.mjs';
import { si } from './lib/format.mjs';
import { LIBRARIES } from './lib/libraries.mjs';
import { measureEcho } from './lib/socket-run.mjs';
import { summarize } from './lib/stats.mjs';

// Registered here rather than in lib/libraries.mjs: the main run compares ws-style APIs.
LIBRARIES['sansock-websocket-node'] = {
  label: '@sansock/node/websocket-node',
  adapter: 'websocket-node',
  module: '@sansock/node/websocket-node',
  env: {},
};

const options = parseArgs(process.argv.slice(2));
const libs = ['websocket', 'sansock-websocket-node'];
const cases = [
  { label: '64 B', size: 64, window: 1000, unit: 'messages/s', pick: (r) => r.messagesPerSecond },
  { label: '1 MiB', size: 1024 * 1024, window: 4, unit: 'MB/s', pick: (r) => r.bytesPerSecond.map((b) => b / 1e6) },
];
const timing = options.quick ? { warmupMs: 400, runMs: 500 } : { warmupMs: 1000, runMs: 2000 };

const lines = ['| message | library | median | min – max | vs websocket | CPU µs/message (client + server) | websocket CPU ÷ this |', '|---|---|---|---|---|---|---|'];
for (const testCase of cases) {
  let baseline;
  let baselineCpu;
  for (const lib of libs) {
    process.stderr.write(`echo ${testCase.label} / ${LIBRARIES[lib].label}\n`);
    const result = await measureEcho(lib, { size: testCase.size, window: testCase.window, runs: options.runs, ...timing });
    const stats = summarize(testCase.pick(result));
    baseline ??= stats.median;
    // CPU time per message does not drop when another process takes the cores, as the rate does.
    const cpu = result.cpuMicrosPerMessage;
    baselineCpu ??= cpu;
    lines.push(
      `| ${testCase.label} | ${LIBRARIES[lib].label} | ${si(stats.median)} ${testCase.unit} | ${si(stats.min)} – ${si(stats.max)} | ${(stats.median / baseline).toFixed(2)}× | ${cpu.toFixed(2)} | ${(baselineCpu / cpu).toFixed(2)}× |`,
    );
  }
}
console.log(lines.join('\n'));
