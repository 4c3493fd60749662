/**
 * Deno echo server for bench/deno.mjs: `sansock` (@sansock/deno's serve()) or `builtin`
 * (Deno.serve + Deno.upgradeWebSocket). Both echo through the same WHATWG event API, binary as
 * ArrayBuffer. Prints {"port":N} once listening; runs until killed.
 */
import { serve } from '../../packages/deno-adapter/src/index.ts';

const impl = Deno.args[0];
const MAX_PAYLOAD = 64 * 1024 * 1024;

function echo(socket: { binaryType: string; onmessage: ((event: MessageEvent) => void) | null; send(data: string | ArrayBuffer): void }) {
  socket.binaryType = 'arraybuffer';
  socket.onmessage = (event) => socket.send(event.data);
}

if (impl === 'sansock') {
  const server = serve({ hostname: '127.0.0.1', port: 0, maxPayload: MAX_PAYLOAD }, (ws) => echo(ws));
  console.log(JSON.stringify({ port: server.addr.port }));
} else if (impl === 'builtin') {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    echo(socket);
    return response;
  });
  console.log(JSON.stringify({ port: server.addr.port }));
} else {
  throw new Error(`unknown implementation ${impl}`);
}
