/**
 * The server process of bench/idle-rss.mjs. Config (IDLE_RSS_CONFIG): { lib: 'ws' | 'sansock' |
 * 'bare', alloc, live, node, cold }. Answers 'before' (baseline after gc) and 'after' (once
 * `connections` are open: the per-connection figures, see idle-rss.mjs).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Session } from 'node:inspector';
import v8 from 'node:v8';

const config = JSON.parse(process.env.IDLE_RSS_CONFIG);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const held = new Set();

async function listen() {
  if (config.lib === 'bare') {
    // What Node costs by itself: answer the upgrade, keep the socket, discard what it sends.
    const server = http.createServer((_req, res) => res.writeHead(426).end());
    server.on('upgrade', (req, socket) => {
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.on('data', () => {});
      socket.on('error', () => socket.destroy());
      socket.on('close', () => held.delete(socket));
      held.add(socket);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: server.address().port, socketOf: (socket) => socket };
  }
  const mod = await import(config.lib === 'ws' ? 'ws' : '@sansock/node');
  const WebSocketServer = mod.WebSocketServer ?? mod.default.WebSocketServer;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    held.add(ws);
    ws.on('message', (data, binary) => ws.send(data, { binary }));
    ws.on('close', () => held.delete(ws));
  });
  return { port: wss.address().port, socketOf: (ws) => ws._socket };
}

function post(session, method, params = {}) {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}

async function settle() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(20);
  }
}

function memory() {
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s]));
  return {
    rss,
    live: heapUsed + external,
    external,
    arrayBuffers,
    newSpace: spaces.new_space.physical_space_size,
    oldUsed: spaces.old_space.space_used_size,
    // Every other space's committed pages: live objects plus what their pages hold free.
    otherSpaces: Object.values(spaces).reduce((sum, space) => sum + space.physical_space_size, 0) - spaces.new_space.physical_space_size,
    malloced: v8.getHeapStatistics().malloced_memory,
  };
}

/**
 * Live objects by kind: count and self bytes per "type:name" in a heap snapshot; with
 * IDLE_RSS_RETAINERS set, per "type:name <- retainer.edge" (the first retainer found), to see
 * which field holds each kind of object.
 */
function snapshotByKind() {
  const snapshot = JSON.parse(readAll(v8.getHeapSnapshot()));
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields.length;
  const typeNames = meta.node_types[0];
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeFields = meta.edge_fields.length;
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snapshot;
  const named = new Set(['object', 'closure', 'native', 'array', 'hidden', 'code', 'string', 'concatenated string']);
  const nameOf = (i) => {
    const type = typeNames[nodes[i + typeAt]];
    return `${type}:${named.has(type) ? strings[nodes[i + nameAt]].slice(0, 40) : ''}`;
  };
  const retainer = new Map();
  if (process.env.IDLE_RSS_RETAINERS) {
    let edge = 0;
    for (let i = 0; i < nodes.length; i += fields) {
      for (let e = 0; e < nodes[i + edgeCountAt]; e++, edge += edgeFields) {
        const to = edges[edge + 2];
        if (retainer.has(to)) continue;
        const edgeType = edgeTypes[edges[edge]];
        if (edgeType === 'weak') continue;
        const edgeName = edgeType === 'element' || edgeType === 'hidden' ? `[${edges[edge + 1]}]` : strings[edges[edge + 1]];
        retainer.set(to, `${nameOf(i)}.${edgeName}`);
      }
    }
  }
  const kinds = new Map();
  for (let i = 0; i < nodes.length; i += fields) {
    const key = retainer.size > 0 ? `${nameOf(i)} <- ${retainer.get(i) ?? '?'}` : nameOf(i);
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 };
    kind.count++;
    kind.bytes += nodes[i + sizeAt];
    kinds.set(key, kind);
  }
  return kinds;
}

function readAll(stream) {
  // getHeapSnapshot() is a Readable whose chunks are already produced synchronously.
  let text = '';
  let chunk;
  while ((chunk = stream.read()) !== null) text += chunk;
  return text;
}

/**
 * A sampling heap profile's self bytes by function ("name file:line"); a builtin (Map, join,
 * bind...) is named with the function that called it.
 */
function allocationsByFunction(profile) {
  const byFunction = new Map();
  let total = 0;
  const frameName = ({ functionName, url, lineNumber }) =>
    `${functionName || '(anonymous)'} ${url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  const visit = (node, parent) => {
    const builtin = node.callFrame.url === '';
    const key = builtin && parent !== undefined ? `${node.callFrame.functionName} <- ${frameName(parent.callFrame)}` : frameName(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) visit(child, builtin && parent !== undefined ? parent : node);
  };
  visit(profile.head, undefined);
  return { total, byFunction };
}

/** What Node keeps on one upgraded socket. */
function describeSocket(socket) {
  const own = {};
  for (const key of [...Object.keys(socket), ...Object.getOwnPropertySymbols(socket)]) {
    const value = socket[key];
    const kind = value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
    own[String(key)] = kind;
  }
  const listeners = Object.fromEntries(socket.eventNames().map((name) => [String(name), socket.listeners(name).map((f) => f.name || '(anonymous)')]));
  return { own, listeners, httpMessage: socket._httpMessage?.constructor?.name ?? null, parser: socket.parser ?? null, timeout: socket.timeout };
}

const { port, socketOf } = await listen();
let session;
let before;
let kindsBefore;
let cpuBefore;

process.on('message', async (message) => {
  try {
    if (message.type === 'before') {
      // Scenario 7 measures its baseline without collecting first: `cold` does the same.
      if (!config.cold) await settle();
      if (config.live) kindsBefore = snapshotByKind();
      if (!config.cold) await settle();
      before = memory();
      cpuBefore = process.cpuUsage();
      if (config.alloc) {
        session = new Session();
        session.connect();
        await post(session, 'HeapProfiler.startSampling', {
          samplingInterval: 128,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      }
      process.send({ type: 'before' });
      return;
    }
    if (message.type === 'after') {
      const deadline = Date.now() + 60_000;
      while (held.size < message.connections && Date.now() < deadline) await sleep(10);
      const n = held.size;
      const cpu = process.cpuUsage(cpuBefore);
      // The server's CPU time (user + system) per connection over the burst: accept, handshake, set-up.
      const result = { held: n, cpuMicrosPerConnection: Math.round(((cpu.user + cpu.system) / n) * 10) / 10 };
      let profile;
      if (config.alloc) profile = (await post(session, 'HeapProfiler.stopSampling')).profile;
      result.newSpaceAfterBurst = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size;
      await settle();
      const after = memory();
      const per = (key) => Math.round((after[key] - before[key]) / n);
      Object.assign(result, {
        rss: per('rss'),
        live: per('live'),
        external: per('external'),
        arrayBuffers: per('arrayBuffers'),
        newSpace: per('newSpace'),
        oldUsed: per('oldUsed'),
        otherSpaces: per('otherSpaces'),
        malloced: per('malloced'),
        // What is neither V8's heap pages nor external memory: libuv handles, Node's C++ wraps, malloc.
        native: per('rss') - per('newSpace') - per('otherSpaces') - per('external'),
      });
      if (profile) {
        const { total, byFunction } = allocationsByFunction(profile);
        result.allocatedPerConnection = Math.round(total / n);
        result.allocatedByFunction = [...byFunction]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 120)
          .map(([key, bytes]) => `${Math.round(bytes / n)} B  ${key}`);
      }
      if (config.live) {
        const kinds = snapshotByKind();
        result.liveByKind = [...kinds]
          .map(([key, { count, bytes }]) => [key, (count - (kindsBefore.get(key)?.count ?? 0)) / n, (bytes - (kindsBefore.get(key)?.bytes ?? 0)) / n])
          .filter(([, count, bytes]) => count >= 0.5 || bytes >= 16)
          .sort((a, b) => b[2] - a[2])
          .slice(0, 50)
          .map(([key, count, bytes]) => `${bytes.toFixed(0)} B  ${count.toFixed(2)}×  ${key}`);
      }
      if (config.node) result.socket = describeSocket(socketOf(held.values().next().value));
      process.send({ type: 'after', result });
    }
  } catch (error) {
    process.send({ type: 'error', message: error.stack });
  }
});

process.send({ type: 'listening', port });
