/**
 * @sansock/node/faye against the original faye-websocket, each with its own server and client,
 * echoing 64 B messages (1000 in flight) and 1 MiB messages (4 in flight) over 127.0.0.1.
 * Each library runs in its own child process (bench/adapters/faye.mjs loads it; its server and
 * client share that process), so neither sees the other's heap or JIT state. Build first: it imports the built @sansock/node.
 *
 *   pnpm run build && node bench/faye-vs-original.mjs [--runs N]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LIBRARIES = [
  { label: 'faye-websocket 0.11.4', module: 'faye-websocket' },
  { label: '@sansock/node/faye', module: '@sansock/node/faye' },
];
const CASES = [
  { label: '64 B', size: 64, window: 1000, seconds: 2 },
  { label: '1 MiB', size: 1024 * 1024, window: 4, seconds: 3 },
];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

/** In the child: echo for `seconds` with `window` messages in flight; reports messages per second. */
async function child() {
  const adapter = await import('./adapters/faye.mjs');
  process.on('message', async ({ module, size, window, seconds }) => {
    await adapter.load(module);
    const server = await adapter.createServer({ maxPayload: 64 * 1024 * 1024 });
    server.onConnection((ws) => ws.onMessage((data) => ws.send(data)));
    const client = await adapter.connect(server.port, { maxPayload: 64 * 1024 * 1024 });
    const payload = Buffer.alloc(size, 7);
    let sent = 0;
    let received = 0;
    const send = () => {
      sent++;
      client.send(payload);
    };
    const cpuAtStart = process.cpuUsage();
    const started = performance.now();
    const stopAt = started + seconds * 1000;
    // Every reply sends one more until time is up, then the last replies are awaited.
    const done = new Promise((resolve) => {
      client.onMessage(() => {
        received++;
        if (performance.now() < stopAt) send();
        else if (received === sent) resolve();
      });
    });
    for (let i = 0; i < window; i++) send();
    await done;
    const elapsed = (performance.now() - started) / 1000;
    // Server and client share this process: its CPU per echoed message is both sides' cost.
    const cpu = process.cpuUsage(cpuAtStart);
    process.send({ perSecond: received / elapsed, cpuMicrosPerMessage: (cpu.user + cpu.system) / received });
    client.terminate();
    server.close();
    setTimeout(() => process.exit(0), 100);
  });
}

function measure(lib, testCase) {
  return new Promise((resolve, reject) => {
    const worker = fork(fileURLToPath(import.meta.url), ['--child']);
    worker.once('message', (result) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`${lib.label}: exit ${code}`)));
    worker.send({ module: lib.module, ...testCase });
  });
}

async function main() {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const labels = LIBRARIES.map((lib) => lib.label);
  console.log(`| echo | ${labels.join(' | ')} | ratio | ${labels.map((label) => `CPU µs/msg ${label}`).join(' | ')} | faye's CPU ÷ ours |`);
  console.log(`|---|${LIBRARIES.map(() => '---:').join('|')}|---:|${LIBRARIES.map(() => '---:').join('|')}|---:|`);
  for (const testCase of CASES) {
    const results = [];
    const cpus = [];
    for (const lib of LIBRARIES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(lib, testCase));
      results.push(median(runs.map((run) => run.perSecond)));
      cpus.push(median(runs.map((run) => run.cpuMicrosPerMessage)));
    }
    const cells = results.map((perSecond) => `${Math.round(perSecond).toLocaleString('en')} msg/s`);
    const cpuCells = cpus.map((micros) => micros.toFixed(2));
    console.log(
      `| ${testCase.label} | ${cells.join(' | ')} | ${(results[1] / results[0]).toFixed(2)}× | ${cpuCells.join(' | ')} | ${(cpus[0] / cpus[1]).toFixed(2)}× |`,
    );
  }
}

if (process.argv.includes('--child')) await child();
else await main();
