/**
 * Deno echo client for bench/deno.mjs: `sansock` (@sansock/deno's WebSocket) or `builtin`
 * (Deno's WebSocket), the same code for both. Keeps `window` binary messages of `size` bytes
 * in flight, counts echoed bytes, and after the warm-up prints one rate per run:
 * {"messagesPerSecond":[...],"cpuMicrosPerMessage":N}.
 *   deno run ... echo-client.ts <impl> <port> <size> <window> <warmupMs> <runMs> <runs>
 */
import process from 'node:process';
import { WebSocket as SansockWebSocket } from '../../packages/deno-adapter/src/index.ts';

const [impl, port, size, window, warmupMs, runMs, runs] = [Deno.args[0], ...Deno.args.slice(1).map(Number)] as [string, ...number[]];
const url = `ws://127.0.0.1:${port}/`;
const ws =
  impl === 'sansock'
    ? new SansockWebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 })
    : new WebSocket(url);
ws.binaryType = 'arraybuffer';
const payload = new Uint8Array(size!).fill(0x5a);
let sent = 0;
let receivedBytes = 0;
const pump = (): void => {
  while (sent - Math.floor(receivedBytes / size!) < window!) {
    ws.send(payload);
    sent++;
  }
};
ws.onmessage = (event: MessageEvent) => {
  receivedBytes += (event.data as ArrayBuffer).byteLength;
  pump();
};
await new Promise((resolve, reject) => {
  ws.onopen = resolve;
  ws.onerror = reject;
});
const cpuAtOpen = process.cpuUsage();
pump();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await sleep(warmupMs!);
const messagesPerSecond: number[] = [];
for (let run = 0; run < runs!; run++) {
  const start = receivedBytes;
  const t0 = performance.now();
  await sleep(runMs!);
  messagesPerSecond.push((receivedBytes - start) / size! / ((performance.now() - t0) / 1000));
}
// CPU time per echoed message over the whole run (warm-up included): contention on a shared
// machine changes how long things take much more than how much CPU they take.
const cpu = process.cpuUsage(cpuAtOpen);
const cpuMicrosPerMessage = (cpu.user + cpu.system) / (receivedBytes / size!);
console.log(JSON.stringify({ messagesPerSecond, cpuMicrosPerMessage }));
Deno.exit(0);
