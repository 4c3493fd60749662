#!/usr/bin/env node
/**
 * Where an idle server connection's memory goes (issue 21): one server process per library
 * (`ws`, `sansock`, or `bare`: a Node http server that answers the upgrade itself and keeps the
 * socket), N raw WebSocket clients from two other processes (procs/raw-load-client.mjs, no
 * library under test), then, in the server after gc:
 *   - RSS, live heap + external, and the young generation's committed size, per connection,
 *     and the server's CPU time per connection over the burst (accept, handshake, set-up);
 *   - with --alloc: bytes allocated during the burst of handshakes per connection, and by
 *     function (a sampling heap profile that keeps collected objects: garbage included);
 *   - with --live: the live objects per connection by kind (heap snapshot diff, constructor names);
 *   - with --node: what Node holds per upgraded socket (listeners, timers, _httpMessage, parser).
 *
 *   node bench/idle-rss.mjs [--lib sansock,ws,bare] [--connections 5000] [--alloc] [--live] [--node] [--cold]
 *
 * `--cold` takes the baseline without collecting garbage first, as scenario 7 does (V8 then
 * schedules its full GCs during the burst differently).
 * `--v8 '<flags>'` passes V8 flags to the server (e.g. '--trace-gc-nvp').
 *
 * Build first (`npx pnpm build`): `sansock` is this checkout's @sansock/node. Every process gets
 * the malloc thresholds of the other socket benches (lib/steady-malloc.mjs).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Child, stopAll } from './lib/processes.mjs';
import { STEADY_MALLOC } from './lib/steady-malloc.mjs';

const SELF = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};

if (process.env.IDLE_RSS_ROLE === 'server') {
  await import('./procs/idle-rss-server.mjs');
} else {
  const libs = option('lib', 'bare,ws,sansock').split(',');
  const connections = Number(option('connections', '5000'));
  const probes = { alloc: flag('alloc'), live: flag('live'), node: flag('node'), cold: flag('cold') };
  for (const lib of libs) console.log(JSON.stringify({ lib, connections, ...(await measure(lib, connections, probes)) }));
}

async function measure(lib, connections, probes) {
  const server = fork(SELF, [], {
    env: { ...process.env, ...STEADY_MALLOC, IDLE_RSS_ROLE: 'server', IDLE_RSS_CONFIG: JSON.stringify({ lib, ...probes }) },
    execArgv: ['--expose-gc', ...(option('v8', '') ? option('v8').split(' ') : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies = [];
  let wake = () => {};
  server.on('message', (message) => {
    replies.push(message);
    wake();
  });
  const next = async (type) => {
    for (;;) {
      const index = replies.findIndex((m) => m.type === type || m.type === 'error');
      if (index >= 0) {
        const [message] = replies.splice(index, 1);
        if (message.type === 'error') throw new Error(message.message);
        return message;
      }
      await new Promise((resolve) => (wake = resolve));
    }
  };
  const { port } = await next('listening');
  server.send({ type: 'before' });
  await next('before');
  const halves = [Math.ceil(connections / 2), Math.floor(connections / 2)];
  const clients = halves.map((share) => new Child('raw-load-client.mjs', { port, role: 'idle', connections: share }, { env: STEADY_MALLOC }));
  try {
    await Promise.all(clients.map((c) => c.next('ready', 300_000)));
    server.send({ type: 'after', connections });
    return (await next('after')).result;
  } finally {
    await stopAll(clients);
    server.kill();
  }
}
