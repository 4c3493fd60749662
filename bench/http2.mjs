/**
 * 1,000 WebSockets over ONE HTTP/2 connection (RFC 8441, h2c) vs 1,000 WebSockets over 1,000 TCP
 * connections, both @sansock/node: the server's memory per idle WebSocket (heap and RSS, after
 * gc, in a server process of its own) and echo messages/s with every WebSocket busy.
 *
 *   pnpm run build && node bench/http2.mjs [--sockets 1000] [--messages 200] [--size 64] [--window 4] [--runs 3]
 *
 * Output: a markdown table for bench/RESULTS.md (progress on stderr).
 */
import { fork } from 'node:child_process';
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from '@sansock/node';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the server process --------------------------------------------------------------------
if (process.argv[2] === 'server') {
  const transport = process.argv[3];
  let wss;
  let port;
  if (transport === 'h2') {
    const server = http2.createServer({ settings: { enableConnectProtocol: true } });
    wss = new WebSocketServer({ http2Server: server, perMessageDeflate: false });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  } else {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await new Promise((resolve) => wss.once('listening', resolve));
    port = wss.address().port;
  }
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  process.on('message', async (command) => {
    if (command.type !== 'memory') return;
    while (wss.clients.size < command.expect) await sleep(10);
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await sleep(20);
    }
    const { heapUsed, external, rss } = process.memoryUsage();
    process.send({ type: 'memory', heap: heapUsed + external, rss, connections: wss.clients.size });
  });
  process.send({ type: 'listening', port });
} else {
  await main();
}

// ---- the client (this process) ---------------------------------------------------------------
async function main() {
  const { values } = parseArgs({
    options: {
      sockets: { type: 'string', default: '1000' },
      messages: { type: 'string', default: '200' },
      size: { type: 'string', default: '64' },
      window: { type: 'string', default: '4' },
      runs: { type: 'string', default: '3' },
    },
  });
  const settings = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)]));
  const results = { h2: [], tcp: [] };
  for (let run = 0; run < settings.runs; run++) {
    // Alternate the order, so load from elsewhere on a shared machine falls on both alike.
    for (const transport of run % 2 === 0 ? ['h2', 'tcp'] : ['tcp', 'h2']) {
      console.error(`run ${run + 1}/${settings.runs}: ${transport}`);
      results[transport].push(await measure(transport, settings));
    }
  }
  print(results, settings);
}

function startServer(transport) {
  const child = fork(new URL(import.meta.url), ['server', transport], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const nextMessage = (type) => new Promise((resolve) => child.on('message', function listener(message) {
    if (message.type !== type) return;
    child.off('message', listener);
    resolve(message);
  }));
  return { child, nextMessage };
}

async function measure(transport, { sockets, messages, size, window }) {
  const { child, nextMessage } = startServer(transport);
  const { port } = await nextMessage('listening');
  child.send({ type: 'memory', expect: 0 });
  const before = await nextMessage('memory');

  const url = `ws://127.0.0.1:${port}`;
  const clients = [];
  // 100 handshakes in flight at a time.
  for (let i = 0; i < sockets; i += 100) {
    const batch = Array.from({ length: Math.min(100, sockets - i) }, () => new WebSocket(url, { http2: transport === 'h2', perMessageDeflate: false }));
    await Promise.all(batch.map((ws) => new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    })));
    clients.push(...batch);
  }
  child.send({ type: 'memory', expect: sockets });
  const after = await nextMessage('memory');

  // Echo: every WebSocket keeps `window` messages in flight until it has had `messages` back.
  const payload = Buffer.alloc(size, 1);
  const start = performance.now();
  await Promise.all(clients.map((ws) => new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    ws.on('message', () => {
      received++;
      if (received === messages) resolve();
      else if (sent < messages) {
        sent++;
        ws.send(payload);
      }
    });
    for (; sent < Math.min(window, messages); sent++) ws.send(payload);
  })));
  const seconds = (performance.now() - start) / 1000;

  await Promise.all(clients.map((ws) => new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close();
  })));
  child.kill();
  return {
    heapPerSocket: (after.heap - before.heap) / sockets,
    rssPerSocket: (after.rss - before.rss) / sockets,
    messagesPerSecond: (sockets * messages) / seconds,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function print(results, { sockets, messages, size, window, runs }) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
  const row = (name, list) => {
    const pick = (key) => list.map((result) => result[key]);
    const range = (key, format) => `${format(median(pick(key)))} (${format(Math.min(...pick(key)))} – ${format(Math.max(...pick(key)))})`;
    return `| ${name} | ${range('heapPerSocket', kib)} | ${range('rssPerSocket', kib)} | ${range('messagesPerSecond', (v) => Math.round(v).toLocaleString('en'))} |`;
  };
  console.log(`${sockets.toLocaleString('en')} WebSockets, @sansock/node client and server (separate processes), ${messages} echoes of ${size} B per WebSocket with ${window} in flight each; median of ${runs} runs (min – max).`);
  console.log('');
  console.log('| transport | server heap per WebSocket | server RSS per WebSocket | echo messages/s |');
  console.log('|---|---|---|---|');
  console.log(row('HTTP/2 (h2c), one TCP connection', results.h2));
  console.log(row(`TCP, ${sockets.toLocaleString('en')} connections`, results.tcp));
}
