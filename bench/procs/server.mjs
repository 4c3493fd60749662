/**
 * The server side of every socket scenario. Config: { adapter, module, mode: 'echo' | 'broadcast',
 * perMessageDeflate, messageSize (raw net only: echo whole messages) }. Reports { type: 'listening', port }, then answers 'memory' and 'stats'.
 *   echo:      every message goes back to its sender, as received (text stays text).
 *   broadcast: every message goes to every connected client, in connection order.
 *   publish:   every client is subscribed to one topic and every message is published to it,
 *              where the library has topics (µWS `app.publish`, sansock `wss.publish` once it
 *              exists); elsewhere the broadcast loop. 'listening' says which one runs.
 * Also answers 'cpu' (process.cpuUsage(): the parent takes CPU time per message from it).
 */
import v8 from 'node:v8';
import { config, loadAdapter, onCommand, report, sleep } from './child-io.mjs';

const adapter = await loadAdapter(config.adapter, config.module);
let server;
try {
  server = await adapter.createServer({ perMessageDeflate: config.perMessageDeflate ?? false, messageSize: config.messageSize });
} catch (error) {
  report({ type: 'unavailable', reason: error.message });
  await sleep(50);
  process.exit(0);
}

const clients = new Set();
const topics = config.mode === 'publish' && typeof server.publish === 'function';
server.onConnection((conn) => {
  clients.add(conn);
  if (topics) {
    conn.subscribe();
    conn.onMessage((data, binary) => server.publish(data, binary));
  } else if (config.mode === 'broadcast' || config.mode === 'publish') {
    conn.onMessage((data, binary) => {
      for (const client of clients) client.send(data, binary);
    });
  } else {
    conn.onMessage((data, binary) => conn.send(data, binary));
  }
});

// Memory of the idle server: collected garbage first (the process runs with --expose-gc).
onCommand('memory', async ({ expectConnections = 0 }) => {
  const deadline = Date.now() + 30_000;
  while (clients.size < expectConnections && Date.now() < deadline) await sleep(10);
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(20);
  }
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  // The young generation's committed size: V8 grows it while a burst of handshakes keeps
  // objects alive across scavenges and keeps it after gc, empty, in RSS (issue 21).
  const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ?? 0;
  return { type: 'memory', connections: clients.size, heapUsed, external, arrayBuffers, rss, newSpace, gc: typeof gc === 'function' };
});

onCommand('cpu', () => ({ type: 'cpu', ...process.cpuUsage() }));

onCommand('stats', () => {
  // cpuMicros: user + system CPU so far, so a caller can take the difference over a run.
  const cpu = process.cpuUsage();
  return { type: 'stats', maxRSS: process.resourceUsage().maxRSS * 1024, connections: clients.size, cpuMicros: cpu.user + cpu.system };
});

report({ type: 'listening', port: server.port, topics });
