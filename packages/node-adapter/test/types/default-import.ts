// `import WebSocket from 'ws'` with esModuleInterop, in a .ts file: CommonJS under nodenext and
// node10, an ES module under bundler. Types through the namespace of the default import.
import WebSocket, { WebSocketServer } from '@sansock/node';

const wss = new WebSocketServer({ port: 0 });
wss.on('connection', (ws: WebSocket) => {
  ws.on('message', (data: WebSocket.RawData, isBinary) => ws.send(data, { binary: isBinary }));
  const events: WebSocket.Event[] = [];
  ws.addEventListener('open', (event) => events.push(event));
});
const client = new WebSocket.WebSocket(`ws://127.0.0.1:${(wss.address() as WebSocket.AddressInfo).port}`);
client.on('open', () => client.close());
