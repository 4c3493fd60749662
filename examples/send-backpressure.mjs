// Send backpressure: a server streams a large download to each client without queueing it
// all in memory. send() returns false once the socket's bufferedAmount is past
// sendHighWaterMark (here 4 MiB); then we wait for 'drain'.
//   pnpm run build && node examples/send-backpressure.mjs
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

/** Sends `total` bytes in `chunkSize` pieces, waiting whenever the socket says it is full. */
export async function sendDownload(ws, total, chunkSize = 1024 * 1024) {
  const chunk = Buffer.alloc(chunkSize, 0x2a);
  // No 'drain' comes after the connection closed: wait for either (one 'close' listener).
  const closed = once(ws, 'close');
  let waits = 0;
  for (let sent = 0; sent < total && ws.readyState === ws.OPEN; sent += chunkSize) {
    if (!ws.send(chunk.subarray(0, Math.min(chunkSize, total - sent)))) {
      waits++;
      await Promise.race([once(ws, 'drain'), closed]);
    }
  }
  return waits;
}

export async function start({ port = 0, host = '127.0.0.1', total = 256 * 1024 * 1024 } = {}) {
  const wss = new WebSocketServer({ port, host, sendHighWaterMark: 4 * 1024 * 1024 });
  const downloads = [];
  wss.on('connection', (ws) => {
    // once() rejects if the socket fails ('error'); a close ends the loop quietly.
    downloads.push(sendDownload(ws, total).then((waits) => (ws.close(1000, 'done'), waits)).catch(() => -1));
  });
  await once(wss, 'listening');
  return {
    url: `ws://${host}:${wss.address().port}`,
    downloads,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`download server on ${url}: each client gets 256 MiB`);
}
