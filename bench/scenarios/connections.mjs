/** Scenario 4: establishing many connections, and what an idle connection costs the server. */
import { withServer } from '../lib/socket-run.mjs';
import { bytes, si } from '../lib/format.mjs';

const PROCESSES = 2;

export default {
  name: 'connections',
  title: '4. Connections',
  summary:
    'Time for 2 client processes (100 handshakes in flight each) to open N connections to a fresh server, ' +
    'then the server\'s memory per idle connection, measured in the server process after gc ' +
    '(heap = V8 heapUsed + external; RSS). Raw net is plain TCP: the floor.',
  libraries: ['ws', 'ws-nobu', 'sansock', 'faye', 'websocket', 'net'],
  metrics: [
    { key: 'connectMs', label: 'time to establish (ms)', higherIsBetter: false, format: si },
    { key: 'heapPerConnection', label: 'server heap per idle connection', higherIsBetter: false, format: bytes },
    { key: 'rssPerConnection', label: 'server RSS per idle connection', higherIsBetter: false, format: bytes },
  ],
  cases: (ctx) => {
    const clients = ctx.quick ? 1000 : 10_000;
    return [{ label: `${clients.toLocaleString('en')} connections`, clients }];
  },
  async measure(ctx, lib, { clients }) {
    const out = { connectMs: [], heapPerConnection: [], rssPerConnection: [] };
    for (let run = 0; run < ctx.runs; run++) {
      await withServer(lib, { mode: 'echo', execArgv: ['--expose-gc'] }, async ({ server, spawnClient }) => {
        const procs = Array.from({ length: PROCESSES }, (_, i) =>
          spawnClient('connect-client.mjs', {
            clients: Math.floor(clients / PROCESSES) + (i < clients % PROCESSES ? 1 : 0),
            concurrency: 100,
          }),
        );
        await Promise.all(procs.map((p) => p.next('ready', 30_000)));
        const before = await server.request({ type: 'memory' }, 'memory', 60_000);
        const start = performance.now();
        await Promise.all(procs.map((p) => p.request({ type: 'start' }, 'opened', 180_000)));
        out.connectMs.push(performance.now() - start);
        const after = await server.request({ type: 'memory', expectConnections: clients }, 'memory', 60_000);
        if (after.connections < clients) throw new Error(`server saw ${after.connections} of ${clients} connections`);
        out.heapPerConnection.push((after.heapUsed + after.external - before.heapUsed - before.external) / clients);
        out.rssPerConnection.push((after.rss - before.rss) / clients);
      });
    }
    return out;
  },
};
