// WebSocketStream: the streams-based WebSocket of the WHATWG proposal (Chromium ships it), on
// both sides. The server reads each connection's messages as a ReadableStream and answers
// through its WritableStream; the client pipes a ReadableStream of lines into the socket.
// Backpressure goes all the way to the sockets.
//   pnpm run build && node examples/websocket-stream.mjs
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, WebSocketStream } from '@sansock/node';

export async function start({ port = 0, host = '127.0.0.1' } = {}) {
  const wss = new WebSocketServer({ port, host });
  wss.on('connection', async (ws) => {
    const { readable, writable } = await WebSocketStream.fromWebSocket(ws).opened;
    // Each text message comes back reversed; pipeTo closes the connection when the client does.
    const reverse = new TransformStream({
      transform(message, controller) {
        controller.enqueue(typeof message === 'string' ? [...message].reverse().join('') : message);
      },
    });
    readable.pipeThrough(reverse).pipeTo(writable).catch(() => {
      // The client went away without a clean close: nothing left to do.
    });
  });
  await once(wss, 'listening');
  return {
    url: `ws://${host}:${wss.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** The client: sends `lines`, collects as many answers, then closes. */
export async function ask(url, lines) {
  const wss = new WebSocketStream(url);
  const { readable, writable } = await wss.opened;
  const writer = writable.getWriter();
  for (const line of lines) await writer.write(line);
  const answers = [];
  for await (const answer of readable.values({ preventCancel: true })) {
    answers.push(answer);
    if (answers.length === lines.length) break;
  }
  wss.close({ closeCode: 1000, reason: 'thanks' });
  const { closeCode } = await wss.closed;
  return { answers, closeCode };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url, close } = await start({ port: Number(process.env.PORT ?? 0) });
  console.log(await ask(url, ['stressed', 'drawer']));
  await close();
}
