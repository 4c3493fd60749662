// Large messages in pieces, both ways (options not in ws). The client sends each upload as
// frames of at most 64 KiB (`fragmentOutgoing`), so its pings and other control frames are not
// stuck behind one huge frame; the server takes each message piece by piece as it arrives
// (`deliverFragments` and the 'fragment' event), hashing it without ever holding it whole,
// and answers with the size, the SHA-256 and how many pieces it came in.
//   pnpm run build && node examples/upload-in-pieces.mjs
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const wss = new WebSocketServer({ port, host, deliverFragments: true, maxPayload: 1024 * 1024 * 1024 });

  wss.on('connection', (ws) => {
    ws.on('error', console.error);
    let hash;
    let size = 0;
    let pieces = 0;
    ws.on('fragment', (data, { first, last }) => {
      if (first) [hash, size, pieces] = [createHash('sha256'), 0, 0];
      hash.update(data);
      size += data.length;
      pieces++;
      if (last) ws.send(JSON.stringify({ size, sha256: hash.digest('hex'), pieces }));
    });
  });

  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://${host}:${wss.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** Sends `data` as one message in 64 KiB frames; resolves with the server's receipt. */
export async function upload(url, data) {
  const ws = new WebSocket(url, { fragmentOutgoing: { threshold: 64 * 1024 } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const receipt = new Promise((resolve) => ws.once('message', (text) => resolve(JSON.parse(text.toString()))));
  ws.send(data);
  try {
    return await receipt;
  } finally {
    ws.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const app = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(await upload(app.url, Buffer.alloc(8 * 1024 * 1024, 1)));
  await app.close();
}
