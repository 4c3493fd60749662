/** Scenario 2: one server broadcasting every message it receives to all its clients. */
import { withServer } from '../lib/socket-run.mjs';
import { si } from '../lib/format.mjs';

const PROCESSES = 2;

export default {
  name: 'fanout',
  title: '2. Fan-out broadcast',
  summary:
    'The server sends every message it receives to all connected clients (`for (const c of clients) c.send(data)`); ' +
    'one client keeps 20 broadcasts of 64 B in flight. Deliveries/s = messages received by all clients. The clients are ' +
    'minimal byte-counting WebSocket clients over raw TCP in 2 processes, the same for every server, so the server is what is measured.',
  libraries: ['ws', 'ws-nobu', 'sansock', 'faye', 'websocket'],
  metrics: [{ key: 'rate', label: 'deliveries/s', higherIsBetter: true, format: si }],
  cases: (ctx) => (ctx.quick ? [100] : [100, 1000]).map((clients) => ({ label: `${clients} clients`, clients })),
  async measure(ctx, lib, { clients }) {
    const timing = ctx.quick ? { warmupMs: 300, runMs: 300 } : { warmupMs: 1000, runMs: 1000 };
    return withServer(lib, { mode: 'broadcast' }, async ({ spawnClient }) => {
      // Process 0 holds the pinger, which counts as one of the clients.
      const procs = Array.from({ length: PROCESSES }, (_, i) => {
        const share = Math.floor(clients / PROCESSES) + (i < clients % PROCESSES ? 1 : 0);
        return spawnClient('fanout-client.mjs', {
          clients: i === 0 ? share - 1 : share,
          pinger: i === 0,
          size: 64,
          window: 20,
          runs: ctx.runs,
          ...timing,
        });
      });
      await Promise.all(procs.map((p) => p.next('ready', 120_000)));
      const results = await Promise.all(procs.map((p) => p.request({ type: 'start' }, 'result', 120_000)));
      const rate = results[0].deliveriesPerSecond.map((_, run) => results.reduce((sum, r) => sum + r.deliveriesPerSecond[run], 0));
      return { rate };
    });
  },
};
