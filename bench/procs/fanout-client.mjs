/**
 * Fan-out clients (scenario 2). Config: { port, clients, pinger, size, window, warmupMs, runMs,
 * runs }. The clients are raw byte-counting WebSocket clients (lib/raw-ws-client.mjs), the same
 * whichever server is measured: a broadcast 64 B message arrives as one 66-byte frame. Opens
 * `clients` connections and reports 'ready'. On 'start', the process holding the pinger opens one
 * more connection (the last one the server broadcasts to) and keeps `window` broadcasts
 * outstanding: each copy that comes back to the pinger lets it send the next. Every process
 * reports the deliveries/s its connections saw, per run.
 */
import { maskedFrame, rawConnect } from '../lib/raw-ws-client.mjs';
import { config, now, onCommand, report, sleep } from './child-io.mjs';

const { size, window, warmupMs, runMs, runs } = config;
if (size > 125) throw new Error('fan-out messages must fit a 2-byte frame header');
const frameSize = size + 2; // server frames are unmasked

let bytes = 0;
const conns = [];
let next = 0;
const connectSome = async () => {
  while (next < config.clients) {
    next++;
    const conn = await rawConnect(config.port);
    conn.onBytes((n) => {
      bytes += n;
    });
    conns.push(conn);
  }
};
await Promise.all(Array.from({ length: 50 }, connectSome));

onCommand('start', async () => {
  if (config.pinger) {
    const frame = maskedFrame(Buffer.alloc(size, 0x42));
    const pinger = await rawConnect(config.port);
    let sent = 0;
    let received = 0;
    const pump = () => {
      while (sent - Math.floor(received / frameSize) < window) {
        pinger.write(frame);
        sent++;
      }
    };
    pinger.onBytes((n) => {
      bytes += n;
      received += n;
      pump();
    });
    pump();
  }
  await sleep(warmupMs);
  const deliveriesPerSecond = [];
  for (let run = 0; run < runs; run++) {
    const startBytes = bytes;
    const start = now();
    await sleep(runMs);
    deliveriesPerSecond.push((bytes - startBytes) / frameSize / ((now() - start) / 1000));
  }
  return { type: 'result', deliveriesPerSecond };
});

report({ type: 'ready', connections: conns.length });
