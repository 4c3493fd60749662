/** Scenario 1: small messages echoed on one connection, pipelined with 1000 outstanding. */
import { measureEcho } from '../lib/socket-run.mjs';
import { si } from '../lib/format.mjs';

const SIZES = [
  { label: '16 B', size: 16 },
  { label: '64 B', size: 64 },
  { label: '1 KiB', size: 1024 },
];

export default {
  name: 'echo',
  title: '1. Small-message echo, one connection',
  summary:
    'Binary messages echoed by the server, 1000 in flight at all times (client and server in separate processes). ' +
    'Raw net echoes the same bytes without framing: the ceiling.',
  libraries: ['ws', 'ws-nobu', 'sansock', 'faye', 'websocket', 'net'],
  metrics: [{ key: 'rate', label: 'messages/s', higherIsBetter: true, format: si }],
  cases: () => SIZES.map(({ label, size }) => ({ label, size })),
  async measure(ctx, lib, { size }) {
    const timing = ctx.quick ? { warmupMs: 300, runMs: 300 } : { warmupMs: 1000, runMs: 1000 };
    const result = await measureEcho(lib, { size, window: 1000, runs: ctx.runs, ...timing });
    return { rate: result.messagesPerSecond };
  },
};
