// Streams: each connection as a Duplex (createWebSocketStream), piped through a Transform
// that upper-cases what it reads and writes it back, with backpressure both ways.
//   pnpm run build && node examples/streams.mjs
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, createWebSocketStream } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const wss = new WebSocketServer({ port, host });
  wss.on('connection', (ws) => {
    const duplex = createWebSocketStream(ws);
    const upperCase = new Transform({
      transform(chunk, _encoding, callback) {
        callback(null, chunk.toString().toUpperCase());
      },
    });
    pipeline(duplex, upperCase, duplex).catch(() => {
      // The peer went away mid-stream; nothing to clean up beyond what pipeline did.
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start({ port: Number(process.env.PORT ?? 8080) });
  console.log(`upper-casing stream server on ${url}`);
}
