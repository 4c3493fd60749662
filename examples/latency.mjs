// Round-trip times with `pingAndWait` (not in ws): each ping's promise resolves when the pong
// with the same payload comes back, and rejects after `timeout` ms or when the socket closes.
// ws's own ping(data, mask, cb) still calls back when the ping is written.
//   pnpm run build && node examples/latency.mjs ws://127.0.0.1:8080
import { pathToFileURL } from 'node:url';
import WebSocket from '@sansock/node';

export async function measure(url, { count = 3, timeout = 5000 } = {}) {
  const ws = new WebSocket(url);
  ws.on('error', () => {}); // the open promise below reports it
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    const roundTrips = [];
    for (let i = 0; i < count; i++) roundTrips.push(await ws.pingAndWait(undefined, { timeout }));
    return roundTrips;
  } finally {
    ws.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const roundTrips = await measure(process.argv[2] ?? 'ws://127.0.0.1:8080');
  console.log(roundTrips.map((ms) => `${ms.toFixed(2)} ms`).join('\n'));
}
