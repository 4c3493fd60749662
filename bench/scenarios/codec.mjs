/** Scenario 5: the codecs in-process, no sockets: frame parsing and frame building. */
import { Child } from '../lib/processes.mjs';
import { LIBRARIES } from '../lib/libraries.mjs';
import { precise } from '../lib/format.mjs';
import { STEADY_MALLOC } from '../lib/steady-malloc.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;

// Which implementation each library row runs, and with which environment.
const IMPLS = {
  ws: { impl: 'ws', env: LIBRARIES.ws.env },
  'ws-nobu': { impl: 'ws', env: LIBRARIES['ws-nobu'].env },
  sansock: { impl: 'sansock', env: {} },
  'sansock-frame': { impl: 'sansock-frame', env: {}, buildOnly: true },
};

export default {
  name: 'codec',
  title: '5. Codec in-process',
  summary:
    'No sockets. Parse: an ~8 MiB stream of masked client frames fed in 64 KiB chunks to a server-role parser ' +
    '(sansock `Connection.receiveData` + `nextEvent`, ws `Receiver.write`), every message delivered. ' +
    'Build: sansock `Connection.send` + `takeOutput` (and `encodeFrame` alone) versus ws `Sender.frame` ' +
    '(readOnly, as `ws.send(buffer)` calls it). GB/s of wire bytes (10^9 B/s).',
  libraries: ['ws', 'ws-nobu', 'sansock', 'sansock-frame'],
  libraryLabels: { 'sansock-frame': 'sansock encodeFrame only' },
  metrics: [{ key: 'throughput', label: 'GB/s', higherIsBetter: true, format: precise }],
  cases: () => [
    { label: 'parse 64 B', op: 'parse', size: 64 },
    { label: 'parse 16 KiB', op: 'parse', size: 16 * KiB },
    { label: 'parse 1 MiB', op: 'parse', size: MiB },
    { label: 'parse 1 KiB text', op: 'parse', size: KiB, text: true },
    { label: 'build 64 B masked', op: 'build', size: 64, masked: true },
    { label: 'build 16 KiB masked', op: 'build', size: 16 * KiB, masked: true },
    { label: 'build 1 MiB masked', op: 'build', size: MiB, masked: true },
    { label: 'build 64 B unmasked', op: 'build', size: 64, masked: false },
  ],
  async measure(ctx, lib, testCase) {
    const { impl, env, buildOnly } = IMPLS[lib];
    if (buildOnly && testCase.op !== 'build') return null;
    const timing = ctx.quick ? { warmupMs: 100, runMs: 150 } : { warmupMs: 1000, runMs: 1000 };
    const child = new Child('codec-worker.mjs', { impl, ...testCase, runs: ctx.runs, ...timing }, { env: { ...STEADY_MALLOC, ...env } });
    try {
      const result = await child.next('result', 120_000);
      return { throughput: result.bytesPerSecond.map((b) => b / 1e9) };
    } finally {
      await child.stop();
    }
  },
};
