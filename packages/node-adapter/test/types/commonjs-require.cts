// A CommonJS program as written for `ws` + `@types/ws`: `import WebSocket = require('ws')`,
// every type through the namespace of the required class.
import WebSocket = require('@sansock/node');
import http = require('node:http');

const options: WebSocket.ServerOptions = {
  server: http.createServer(),
  path: '/ws',
  perMessageDeflate: { threshold: 0 } satisfies WebSocket.PerMessageDeflateOptions,
  verifyClient: ((info, callback) => callback(info.origin === 'https://example.com')) satisfies WebSocket.VerifyClientCallbackAsync,
};
const wss: WebSocket.Server = new WebSocket.Server(options);
const same: WebSocket.WebSocketServer = new WebSocket.WebSocketServer({ noServer: true });
const { WebSocketServer, createWebSocketStream } = WebSocket;

wss.on('connection', (ws: WebSocket, request: http.IncomingMessage) => {
  ws.on('message', (data: WebSocket.RawData) => ws.send(data));
  ws.on('close', (code: number) => console.log(code, request.url));
  const duplex = createWebSocketStream(ws);
  duplex.on('data', (chunk: Buffer) => console.log(chunk.length));
});

class Tracked extends WebSocket {
  joinedAt = Date.now();
}
const tracked = new WebSocketServer<Tracked>({ noServer: true, WebSocket: Tracked });
tracked.on('connection', (ws) => console.log(ws.joinedAt));
const typedServer: WebSocket.Server<typeof Tracked> = tracked;

const client: WebSocket.WebSocket = new WebSocket.WebSocket('ws://127.0.0.1:8080/ws', { handshakeTimeout: 1_000 } satisfies WebSocket.ClientOptions);
client.onmessage = (event: WebSocket.MessageEvent) => console.log(event.data);
client.onclose = (event: WebSocket.CloseEvent) => console.log(event.code);
client.onerror = (event: WebSocket.ErrorEvent) => console.log(event.message);
const data: WebSocket.Data = 'text';
const meta: WebSocket.CertMeta = [Buffer.from('cert')];
const address: WebSocket.AddressInfo | string | null = wss.address();
const same2: typeof WebSocket = WebSocket.default;
const event: WebSocket.CloseEvent = new WebSocket.CloseEvent('close', { code: 1000 });
void [same, typedServer, data, meta, address, same2, event];

// @ts-expect-error a close code is a number
client.close('normal');

export = wss;
