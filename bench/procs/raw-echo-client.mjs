/**
 * Echo load generator that costs almost nothing (bench/bun.mjs). Config: { port, size, window,
 * warmupMs, runMs, runs }. One raw byte-counting WebSocket connection (lib/raw-ws-client.mjs,
 * as fan-out uses) keeps `window` binary messages outstanding: the frame is masked once and
 * written again and again, and echoes are counted in bytes of the server's (unmasked) frames.
 * The same client for every server, so a fast server is not capped by a full WebSocket client
 * (Bun.serve echoes millions of messages/s to this client; ws against ws makes ~270 k in scenario 1).
 * Reports per run: { type: 'result', messagesPerSecond: [...], bytesPerSecond: [...] } (payload bytes).
 */
import { rawConnect } from '../lib/raw-ws-client.mjs';
import { config, now, report, sleep } from './child-io.mjs';

const { size, window, warmupMs, runMs, runs } = config;

/** A masked binary client frame of any size (the mask key is fixed: this is a load generator). */
function maskedBinaryFrame(payloadSize) {
  const lengthBytes = payloadSize < 126 ? 0 : payloadSize < 65536 ? 2 : 8;
  const header = 2 + lengthBytes + 4;
  const frame = Buffer.alloc(header + payloadSize, 0x5a);
  frame[0] = 0x82;
  if (lengthBytes === 0) frame[1] = 0x80 | payloadSize;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(payloadSize, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(payloadSize), 2);
  }
  const key = [0x12, 0x34, 0x56, 0x78];
  frame.set(key, header - 4);
  for (let i = 0; i < payloadSize; i++) frame[header + i] ^= key[i & 3];
  return frame;
}

/** Bytes of the server's unmasked frame carrying `payloadSize` bytes. */
const serverFrameSize = (payloadSize) => payloadSize + (payloadSize < 126 ? 2 : payloadSize < 65536 ? 4 : 10);

const frame = maskedBinaryFrame(size);
const echoSize = serverFrameSize(size);
// Small frames go out as one write of many copies; large ones one write each (no 4 × 1 MiB copy).
const batch = size < 65536 ? Buffer.concat(Array.from({ length: window }, () => frame)) : undefined;

const conn = await rawConnect(config.port);
let sent = 0;
let receivedBytes = 0;
const pump = () => {
  const missing = Math.floor(receivedBytes / echoSize) + window - sent;
  if (missing <= 0) return;
  if (batch) conn.write(batch.subarray(0, missing * frame.length));
  else for (let i = 0; i < missing; i++) conn.write(frame);
  sent += missing;
};
conn.onBytes((n) => {
  receivedBytes += n;
  pump();
});
pump();

await sleep(warmupMs);
const messagesPerSecond = [];
for (let run = 0; run < runs; run++) {
  const startBytes = receivedBytes;
  const start = now();
  await sleep(runMs);
  messagesPerSecond.push((receivedBytes - startBytes) / echoSize / ((now() - start) / 1000));
}
report({ type: 'result', messagesPerSecond, bytesPerSecond: messagesPerSecond.map((m) => m * size) });
await sleep(20);
process.exit(0);
