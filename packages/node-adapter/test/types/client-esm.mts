// A client as written for `ws` + `@types/ws` (ES module), browser-style and EventEmitter-style.
import WebSocket from '@sansock/node';
import type { ClientOptions, CloseEvent, Data, ErrorEvent, MessageEvent } from '@sansock/node';
import type { ClientRequest } from 'node:http';

const finishRequest: WebSocket.FinishRequestCallback = (request: ClientRequest, websocket: WebSocket) => {
  request.setHeader('x-client', websocket.url);
  request.end();
};
const options: ClientOptions = {
  headers: { authorization: 'Bearer token' },
  handshakeTimeout: 5_000,
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
  followRedirects: true,
  finishRequest,
};
const ws = new WebSocket('wss://example.com/socket', ['chat', 'superchat'], options);
ws.binaryType = 'arraybuffer';

ws.onopen = (event: WebSocket.Event) => {
  console.log(event.type);
  ws.send('hello');
};
ws.onmessage = (event: WebSocket.MessageEvent) => {
  const data: WebSocket.Data = event.data;
  console.log(typeof data === 'string' ? data : data.toString());
};
ws.onerror = (event: WebSocket.ErrorEvent) => console.error(event.message, event.error);
ws.onclose = (event: WebSocket.CloseEvent) => console.log(event.code, event.reason, event.wasClean);

const listenerOptions: WebSocket.EventListenerOptions = { once: true };
ws.addEventListener('message', (event: MessageEvent) => console.log(event.data), listenerOptions);
ws.addEventListener('close', (event: CloseEvent) => console.log(event.code));
ws.addEventListener('error', (event: ErrorEvent) => console.log(event.message, event.error.code));

ws.on('open', function open(this: WebSocket) {
  this.send(Buffer.from([1, 2, 3]), { binary: true, compress: false });
});
ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
  const text: Data = isBinary ? (data as Buffer) : data.toString();
  console.log(text);
});
ws.on('upgrade', (response) => console.log(response.headers['sec-websocket-protocol']));
ws.on('unexpected-response', (request, response) => console.log(request.path, response.statusCode));
ws.once('close', (code, reason) => console.log(code, reason.toString('utf8')));

await new Promise((resolve) => ws.once('open', resolve));
console.log(ws.readyState === WebSocket.OPEN, ws.protocol, ws.extensions, ws.bufferedAmount);
ws.close(1000, 'done');
