import { Child, stopAll } from './processes.mjs';
import { LIBRARIES } from './libraries.mjs';
import { STEADY_MALLOC } from './steady-malloc.mjs';

/**
 * Starts the server process for a library, runs `body` with a way to start client processes
 * against it, and always stops every process it started.
 */
export async function withServer(libId, { mode = 'echo', perMessageDeflate = false, messageSize, execArgv = [] }, body) {
  const lib = LIBRARIES[libId];
  // BENCH_CPU_PROF=<dir>: every server and client process writes a .cpuprofile there.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  execArgv = [...execArgv, ...profile];
  const base = { adapter: lib.adapter, module: lib.module };
  const server = new Child('server.mjs', { ...base, mode, perMessageDeflate, messageSize }, { env: { ...STEADY_MALLOC, ...lib.env }, execArgv });
  const children = [server];
  try {
    const { port } = await server.next('listening', 30_000);
    const spawnClient = (script, clientConfig) => {
      const child = new Child(script, { ...base, port, perMessageDeflate, ...clientConfig }, { env: { ...STEADY_MALLOC, ...lib.env }, execArgv: profile });
      children.push(child);
      return child;
    };
    return await body({ port, server, spawnClient });
  } finally {
    await stopAll(children);
  }
}

/** One echo measurement: rates per run for `runs` runs after the warm-up, plus peak RSS. */
export async function measureEcho(libId, { size, text = false, connections = 1, window, perMessageDeflate = false, warmupMs, runMs, runs }) {
  return withServer(libId, { mode: 'echo', perMessageDeflate, messageSize: size }, async ({ server, spawnClient }) => {
    const before = await server.request({ type: 'stats' }, 'stats', 10_000);
    const client = spawnClient('echo-client.mjs', { size, text, connections, window, warmupMs, runMs, runs });
    const result = await client.next('result', warmupMs + runMs * runs + 60_000);
    const stats = await server.request({ type: 'stats' }, 'stats', 10_000);
    // CPU per echoed message, client and server together (a busy machine slows the rate, not this much).
    const messages = result.totalBytes / size;
    const cpuMicrosPerMessage = (result.cpuMicros + stats.cpuMicros - before.cpuMicros) / messages;
    return { ...result, serverMaxRSS: stats.maxRSS, cpuMicrosPerMessage };
  });
}
