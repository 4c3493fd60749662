/**
 * Load generator of the server scenarios (lib/server-suite.mjs): raw WebSocket connections over
 * TCP (lib/raw-ws-client.mjs) that cost almost nothing and use no library under test. Config:
 * { port, connections, role, size, window, deflate }.
 *   role 'echo':      every connection keeps its share of `window` messages outstanding (a
 *                     pre-masked frame written again and again) and counts the echoes;
 *   role 'broadcast': the connections only count what arrives; with `pinger`, one more
 *                     connection (opened on 'start', so it is the last one the server knows)
 *                     keeps `window` broadcasts outstanding;
 *   role 'idle':      the connections are opened and then left alone.
 * `deflate`: the connections offer permessage-deflate and send one text message compressed once
 * (each message on its own, as `client_no_context_takeover` promises: RFC 7692 §7.1.1.1); the
 * server's compressed echoes have no fixed size, so they are counted by frame headers.
 * Reports 'ready'; after 'start', answers 'mark' with { messages } received so far (every
 * connection of this process), so the parent times its windows itself.
 */
import zlib from 'node:zlib';
import { FrameCounter, maskedFrameOf, rawConnect, serverFrameSize } from '../lib/raw-ws-client.mjs';
import { config, onCommand, report } from './child-io.mjs';
import { jsonLikeText } from './json-like-text.mjs';

const { port, connections, role, size, window = 0, deflate = false } = config;
const OFFER = 'permessage-deflate; client_no_context_takeover';

function clientFrame() {
  if (!deflate) return maskedFrameOf(Buffer.alloc(size, 0x5a), 0x82);
  // A compressed message ends with an empty stored block whose 4 bytes are left off (RFC 7692 §7.2.1).
  const deflated = zlib.deflateRawSync(jsonLikeText(size), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return maskedFrameOf(deflated.subarray(0, deflated.length - 4), 0xc1); // FIN, RSV1, text
}

const frame = role === 'idle' ? undefined : clientFrame();
const echoFrameSize = serverFrameSize(size ?? 0);

/** One connection's count of received messages: by bytes where every frame has one size, else by headers. */
function counting(conn) {
  const counter = deflate ? new FrameCounter() : undefined;
  let bytes = 0;
  conn.onBytes((length, chunk) => {
    if (counter) counter.push(chunk);
    else bytes += length;
    conn.onReceived?.();
  });
  conn.received = () => (counter ? counter.messages : Math.floor(bytes / echoFrameSize));
  conn.compressed = () => counter?.compressed ?? 0;
  return conn;
}

/** Keeps `share` messages outstanding on `conn`; small frames go out batched in one write. */
function pump(conn, share) {
  const batch = frame.length * share <= 1024 * 1024 ? Buffer.concat(Array.from({ length: share }, () => frame)) : undefined;
  let sent = 0;
  conn.onReceived = () => {
    const missing = conn.received() + share - sent;
    if (missing <= 0) return;
    if (batch) conn.write(batch.subarray(0, missing * frame.length));
    else for (let i = 0; i < missing; i++) conn.write(frame);
    sent += missing;
  };
  conn.onReceived();
}

const conns = [];
let next = 0;
const connectSome = async () => {
  while (next < connections) {
    next++;
    const conn = await rawConnect(port, deflate ? { extensions: OFFER } : {});
    if (deflate && !conn.extensions.includes('permessage-deflate')) {
      report({ type: 'unavailable', reason: 'permessage-deflate was not negotiated' });
      return;
    }
    conns.push(role === 'idle' ? conn : counting(conn));
  }
};
// The handshakes arrive in the server's order of acceptance; 50 in flight stay within any backlog.
await Promise.all(Array.from({ length: Math.min(50, connections) }, connectSome));

onCommand('start', async () => {
  if (role === 'echo') {
    const share = Math.max(1, Math.ceil(window / conns.length));
    for (const conn of conns) pump(conn, share);
  } else if (role === 'broadcast' && config.pinger) {
    const pinger = counting(await rawConnect(port));
    conns.push(pinger);
    pump(pinger, window);
  }
  return { type: 'started' };
});

onCommand('mark', () => ({
  type: 'mark',
  messages: conns.reduce((sum, conn) => sum + (conn.received?.() ?? 0), 0),
  compressed: conns.reduce((sum, conn) => sum + (conn.compressed?.() ?? 0), 0),
}));

report({ type: 'ready', connections: conns.length });
