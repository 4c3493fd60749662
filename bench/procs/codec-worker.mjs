/**
 * Scenario 5, in one process per (case, library): parse pre-built masked frames, or build
 * frames, in a tight loop. Config: { impl, op: 'parse' | 'build', size, text, masked, warmupMs,
 * runMs, runs }. Reports { type: 'result', bytesPerSecond: [...], messagesPerSecond: [...] }
 * where bytes are wire bytes (headers included) consumed or produced.
 *
 * impl: 'sansock' (Connection: receiveData + nextEvent / send + takeOutput),
 *       'sansock-frame' (encodeFrame alone), 'ws' (Receiver / Sender.frame).
 */
import { config, now, report, sleep } from './child-io.mjs';

const { impl, op, size, text = false, masked = true, warmupMs, runMs, runs } = config;
const CHUNK = 64 * 1024; // what a socket read typically hands over
const STREAM_TARGET = 8 * 1024 * 1024;

let loop; // runs the workload once; returns [wireBytes, messages]
try {
  loop = op === 'parse' ? await parser() : await builder();
} catch (error) {
  report({ type: 'unavailable', reason: `${impl}: ${error?.code ?? error?.message ?? error}` });
  await sleep(50);
  process.exit(0);
}

const measure = (ms) => {
  let wire = 0;
  let messages = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < ms) {
    const [b, m] = loop();
    wire += b;
    messages += m;
    elapsed = now() - start;
  }
  return [wire / (elapsed / 1000), messages / (elapsed / 1000)];
};

measure(warmupMs);
const bytesPerSecond = [];
const messagesPerSecond = [];
for (let run = 0; run < runs; run++) {
  const [b, m] = measure(runMs);
  bytesPerSecond.push(b);
  messagesPerSecond.push(m);
}
report({ type: 'result', bytesPerSecond, messagesPerSecond });
await sleep(20);
process.exit(0);

/**
 * A client-to-server stream of masked frames, ~8 MiB, cut into 64 KiB chunks (frames span
 * chunks as they do on a socket). Mask key bytes have the top bit clear and payloads are
 * ASCII, so the bytes are valid UTF-8 both masked and unmasked: both parsers unmask in place,
 * and each pass over the same stream flips it between the two forms.
 */
function buildStream() {
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = 0x20 + ((i * 7) % 0x5f);
  const count = Math.max(4, Math.ceil(STREAM_TARGET / (size + 14)));
  const frames = [];
  for (let i = 0; i < count; i++) frames.push(maskedFrame(text ? 0x1 : 0x2, payload, i));
  const stream = Buffer.concat(frames);
  const chunks = [];
  for (let offset = 0; offset < stream.length; offset += CHUNK) chunks.push(stream.subarray(offset, offset + CHUNK));
  return { chunks, wireBytes: stream.length, count };
}

function maskedFrame(opcode, payload, seed) {
  const length = payload.length;
  const extended = length > 0xffff ? 8 : length > 125 ? 2 : 0;
  const frame = Buffer.alloc(2 + extended + 4 + length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | (extended === 8 ? 127 : extended === 2 ? 126 : length);
  if (extended === 2) frame.writeUInt16BE(length, 2);
  else if (extended === 8) frame.writeBigUInt64BE(BigInt(length), 2);
  const keyAt = 2 + extended;
  for (let k = 0; k < 4; k++) frame[keyAt + k] = 1 + ((seed * 13 + k * 29) % 0x7f); // non-zero, top bit clear
  for (let i = 0; i < length; i++) frame[keyAt + 4 + i] = payload[i] ^ frame[keyAt + (i & 3)];
  return frame;
}

async function parser() {
  const { chunks, wireBytes, count } = buildStream();
  if (impl === 'sansock') {
    const { Connection } = await import('@sansock/core');
    // What @sansock/node gives the core in Node: bufferutil masking (unless WS_NO_BUFFER_UTIL) and buffer.isUtf8.
    const { nodeAccelerators } = await import('@sansock/node');
    const conn = new Connection({ role: 'server', maxPayload: 0, ...nodeAccelerators });
    return () => {
      let messages = 0;
      for (const chunk of chunks) {
        conn.receiveData(chunk);
        for (;;) {
          const event = conn.nextEvent();
          if (typeof event === 'symbol') break;
          if (event.type !== 'message') throw new Error(`unexpected ${event.type}: ${event.error?.message}`);
          messages++;
        }
      }
      if (messages !== count) throw new Error(`parsed ${messages} of ${count} messages`);
      return [wireBytes, messages];
    };
  }
  if (impl === 'ws') {
    const { Receiver } = await import('ws');
    const receiver = new Receiver({ isServer: true, maxPayload: 0, binaryType: 'nodebuffer' });
    let messages = 0;
    receiver.on('message', () => messages++);
    receiver.on('error', (error) => {
      throw error;
    });
    return () => {
      messages = 0;
      for (const chunk of chunks) receiver.write(chunk);
      if (messages !== count) throw new Error(`parsed ${messages} of ${count} messages`);
      return [wireBytes, messages];
    };
  }
  throw new Error(`no parser for ${impl}`);
}

async function builder() {
  const payload = Buffer.alloc(size, 0x61);
  // Enough frames per call that the timer check is noise, few enough to keep memory flat.
  const batch = Math.max(1, Math.floor((1024 * 1024) / (size + 14)));
  if (impl === 'sansock') {
    const { Connection } = await import('@sansock/core');
    const { nodeAccelerators } = await import('@sansock/node');
    const conn = new Connection({ role: masked ? 'client' : 'server', ...nodeAccelerators });
    return () => {
      let wire = 0;
      for (let i = 0; i < batch; i++) {
        conn.send(payload);
        for (const chunk of conn.takeOutput()) wire += chunk.length;
      }
      return [wire, batch];
    };
  }
  if (impl === 'sansock-frame') {
    const { encodeFrame, MaskKeySource } = await import('@sansock/core/frames');
    // The same native masking Connection gets from @sansock/node (ws uses bufferutil too).
    const { nodeAccelerators } = await import('@sansock/node');
    const { nativeMask } = nodeAccelerators;
    const keys = new MaskKeySource();
    return () => {
      let wire = 0;
      for (let i = 0; i < batch; i++) {
        const chunks = encodeFrame(0x2, payload, { fin: true, rsv: 0, maskKey: masked ? keys.next() : undefined, nativeMask });
        for (const chunk of chunks) wire += chunk.length;
      }
      return [wire, batch];
    };
  }
  if (impl === 'ws') {
    const { Sender } = await import('ws');
    // What ws.send(buffer) passes for a binary message: the caller's buffer is read-only.
    const options = { fin: true, opcode: 0x2, mask: masked, readOnly: true, rsv1: false };
    return () => {
      let wire = 0;
      for (let i = 0; i < batch; i++) {
        for (const chunk of Sender.frame(payload, options)) wire += chunk.length;
      }
      return [wire, batch];
    };
  }
  throw new Error(`no builder for ${impl}`);
}
