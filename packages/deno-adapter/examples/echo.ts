/**
 * An echo server and a client talking to it, both @sansock/deno, with permessage-deflate.
 * From a checkout:
 *   node_modules/.bin/deno run --config packages/deno-adapter/deno.json --allow-net=127.0.0.1 packages/deno-adapter/examples/echo.ts
 */
import { serve, WebSocket } from '../src/index.ts';

const server = serve({ hostname: '127.0.0.1', port: 0, perMessageDeflate: true }, (socket, request) => {
  console.log(`server: ${request.target} from ${request.remoteAddr.hostname}, extensions: ${socket.extensions}`);
  socket.onmessage = (event) => socket.send(`echo: ${event.data}`);
});

const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/chat`, { headers: { authorization: 'Bearer demo' } });
ws.onopen = () => {
  ws.send('hello');
  ws.send('world');
};
let count = 0;
for await (const message of ws) {
  console.log(`client: ${message}`);
  if (++count === 2) ws.close(1000, 'done');
}
await server.close();
