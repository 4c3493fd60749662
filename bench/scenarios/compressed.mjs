/** Scenario 6: permessage-deflate echo of JSON-like text. */
import { measureEcho } from '../lib/socket-run.mjs';
import { bytes, si } from '../lib/format.mjs';

export default {
  name: 'compressed',
  title: '6. Compressed echo (permessage-deflate)',
  summary:
    '1 KiB JSON-like text messages echoed with permessage-deflate enabled on both sides (library defaults ' +
    'otherwise), 1000 in flight in total; peak RSS of the server process. faye-websocket (needs the separate ' +
    'permessage-deflate package) and websocket (no compression) are left out.',
  // faye-websocket needs the permessage-deflate package (not a dependency); WebSocket-Node has no compression.
  libraries: ['ws', 'ws-nobu', 'sansock'],
  metrics: [
    { key: 'rate', label: 'messages/s', higherIsBetter: true, format: si },
    { key: 'peakRss', label: 'server peak RSS', higherIsBetter: false, format: bytes, single: true },
  ],
  cases: (ctx) => [
    { label: '1 connection', connections: 1 },
    { label: '50 connections', connections: 50 },
  ],
  async measure(ctx, lib, { connections }) {
    const timing = ctx.quick ? { warmupMs: 300, runMs: 300 } : { warmupMs: 1000, runMs: 1000 };
    const result = await measureEcho(lib, {
      size: 1024,
      text: true,
      connections,
      window: 1000,
      perMessageDeflate: true,
      runs: ctx.runs,
      ...timing,
    });
    // Peak RSS is one number per process; repeated so the table shows it like the other metrics.
    return { rate: result.messagesPerSecond, peakRss: [result.serverMaxRSS] };
  },
};
