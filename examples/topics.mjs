// Topics on @sansock/node (µWebSockets' pub/sub API): "/join chess" subscribes a client to a
// topic, "/leave chess" unsubscribes it, and anything else it sends is published to its topics.
// A publish builds the frame once (compressed once) and writes the same bytes to every member.
//   pnpm run build && node examples/topics.mjs
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  // Without server context takeover, one compressed frame suits every member.
  const wss = new WebSocketServer({ port, host, perMessageDeflate: { serverNoContextTakeover: true } });
  wss.on('connection', (ws) => {
    ws.on('error', console.error);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : String(data);
      if (text.startsWith('/join ')) {
        ws.subscribe(text.slice(6)); // left by itself when the socket closes
        ws.send(`joined ${text.slice(6)}`);
      } else if (text.startsWith('/leave ')) {
        ws.unsubscribe(text.slice(7));
        ws.send(`left ${text.slice(7)}`);
      } else {
        for (const topic of ws.getTopics()) wss.publish(topic, data, { binary: isBinary });
      }
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
  console.log(`topics server on ${url}`);
}
