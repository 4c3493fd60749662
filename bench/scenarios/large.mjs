/** Scenario 3: large binary messages echoed, against raw TCP moving the same bytes. */
import { measureEcho } from '../lib/socket-run.mjs';
import { si } from '../lib/format.mjs';

const MiB = 1024 * 1024;

export default {
  name: 'large',
  title: '3. Large-message echo',
  summary:
    'Binary messages echoed on one connection, 4 in flight; MB/s of payload echoed back (10^6 B/s). ' +
    'Raw net echoes the same bytes without framing: the ceiling (target: ≥ 0.9× of it).',
  libraries: ['ws', 'ws-nobu', 'sansock', 'faye', 'websocket', 'net'],
  metrics: [{ key: 'throughput', label: 'MB/s', higherIsBetter: true, format: si }],
  cases: () => [
    { label: '1 MiB', size: MiB },
    { label: '16 MiB', size: 16 * MiB },
  ],
  async measure(ctx, lib, { size }) {
    const timing = ctx.quick ? { warmupMs: 400, runMs: 500 } : { warmupMs: 1000, runMs: 2000 };
    const result = await measureEcho(lib, { size, window: 4, runs: ctx.runs, ...timing });
    return { throughput: result.bytesPerSecond.map((b) => b / 1e6) };
  },
};
