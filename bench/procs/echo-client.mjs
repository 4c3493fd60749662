/**
 * Echo client (scenarios 1, 3, 6). Config: { adapter, module, port, size, text, connections,
 * window, perMessageDeflate, warmupMs, runMs, runs }. Keeps `window` messages outstanding in
 * total (split over the connections), counts echoed payload bytes, and after the warm-up reports
 * one rate per run: { type: 'result', messagesPerSecond: [...], bytesPerSecond: [...] }.
 * Bytes are what is counted, so raw TCP (no message boundaries) is measured the same way.
 */
import { config, loadAdapter, now, report, sleep } from './child-io.mjs';
import { jsonLikeText } from './json-like-text.mjs';

const adapter = await loadAdapter(config.adapter, config.module);
const { size, text = false, connections = 1, window, warmupMs, runMs, runs } = config;

const payload = text ? jsonLikeText(size) : Buffer.alloc(size, 0x5a);
const perConnection = Math.max(1, Math.ceil(window / connections));

const conns = [];
for (let i = 0; i < connections; i++) {
  conns.push(await adapter.connect(config.port, { perMessageDeflate: config.perMessageDeflate ?? false }));
}
if (config.perMessageDeflate && !String(conns[0].extensions).includes('permessage-deflate')) {
  report({ type: 'unavailable', reason: 'permessage-deflate was not negotiated' });
  await sleep(50);
  process.exit(0);
}

let receivedBytes = 0;
// CPU from here on (connected, before the first send): the echo's cost, not start-up's.
const cpuAtStart = process.cpuUsage();
for (const conn of conns) {
  let sent = 0;
  let received = 0;
  const pump = () => {
    while (sent - Math.floor(received / size) < perConnection) {
      conn.send(payload, !text);
      sent++;
    }
  };
  conn.onMessage((data) => {
    received += data.length;
    receivedBytes += data.length;
    pump();
  });
  pump();
}

await sleep(warmupMs);
const bytesPerSecond = [];
for (let run = 0; run < runs; run++) {
  const startBytes = receivedBytes;
  const start = now();
  await sleep(runMs);
  bytesPerSecond.push((receivedBytes - startBytes) / ((now() - start) / 1000));
}
report({
  type: 'result',
  bytesPerSecond,
  messagesPerSecond: bytesPerSecond.map((b) => b / size),
  // Everything echoed since the start (warm-up included), for costs per message (bench/deno.mjs).
  totalBytes: receivedBytes,
  // User + system CPU of this process since the first send, in µs (divide by totalBytes / size).
  cpuMicros: cpuSince(cpuAtStart),
  maxRSS: process.resourceUsage().maxRSS * 1024,
});
await sleep(20);
process.exit(0);

function cpuSince(start) {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}
