// Browser code, unchanged, on Node: with { nativeEvents: true } a WebSocket's addEventListener
// and on<type> attributes deliver the runtime's own Event/MessageEvent/CloseEvent instances, and
// an AbortSignal removes listeners, as in a browser.
//   pnpm run build && node examples/native-events.mjs
import { pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from '@sansock/node';

/** Written for browsers: collects messages until 'stop', then stops listening through a signal. */
export function collectUntilStop(ws) {
  const controller = new AbortController();
  const messages = [];
  return new Promise((resolve, reject) => {
    ws.addEventListener(
      'message',
      (event) => {
        if (!(event instanceof MessageEvent)) return reject(new Error('not a real MessageEvent'));
        if (event.data === 'stop') {
          controller.abort();
          resolve(messages);
        } else {
          messages.push(event.data);
        }
      },
      { signal: controller.signal },
    );
    ws.addEventListener('error', (event) => reject(event instanceof Event ? event.error : event), { signal: controller.signal });
  });
}

export async function run() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => {
    for (const message of ['one', 'two', 'stop', 'after stop']) socket.send(message);
  });
  const ws = new WebSocket(`ws://127.0.0.1:${wss.address().port}`, { nativeEvents: true });
  try {
    return await collectUntilStop(ws);
  } finally {
    ws.close();
    await new Promise((resolve) => wss.close(resolve));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await run());
}
