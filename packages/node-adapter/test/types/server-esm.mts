// A chat server as written for `ws` + `@types/ws` (ES module: default and named imports), with
// only the package name changed. Compiled, not run.
import WebSocket, { WebSocketServer, createWebSocketStream } from '@sansock/node';
import type { RawData, ServerOptions, VerifyClientCallbackAsync } from '@sansock/node';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

interface LiveSocket extends WebSocket {
  isAlive?: boolean;
}

const verifyClient: WebSocket.VerifyClientCallbackSync = (info) => info.secure || info.req.headers.host !== undefined;
const verifyAsync: VerifyClientCallbackAsync = (info, done) => {
  if (!info.req.url?.startsWith('/chat')) return done(false, 404, 'Not Found', { 'x-reason': 'path' });
  done(true);
};

const deflate: WebSocket.PerMessageDeflateOptions = {
  zlibDeflateOptions: { chunkSize: 1024, memLevel: 7, level: 3 },
  zlibInflateOptions: { chunkSize: 10 * 1024 },
  clientNoContextTakeover: true,
  serverNoContextTakeover: true,
  serverMaxWindowBits: 10,
  concurrencyLimit: 10,
  threshold: 1024,
};
const options: WebSocket.ServerOptions = { noServer: true, perMessageDeflate: deflate, maxPayload: 1 << 20, verifyClient };
const named: ServerOptions = { port: 0, verifyClient: verifyAsync, clientTracking: true, handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false) };

const server = createServer();
const wss = new WebSocketServer(options);
const other: WebSocket.Server = new WebSocket.Server(named);
const alsoOther: WebSocket.WebSocketServer = new WebSocket.WebSocketServer({ noServer: true });

server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    wss.emit('connection', ws, request);
  });
});

function broadcast(from: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  wss.clients.forEach((client: WebSocket) => {
    if (client !== from && client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  });
}

wss.on('connection', (ws: LiveSocket, request: IncomingMessage) => {
  ws.isAlive = true;
  const ip = request.socket.remoteAddress;
  ws.on('pong', () => (ws.isAlive = true));
  ws.on('message', (data: RawData, isBinary: boolean) => broadcast(ws, data, isBinary));
  ws.on('close', (code: number, reason: Buffer) => console.log(ip, code, reason.toString()));
  ws.on('error', console.error);
  ws.send(JSON.stringify({ hello: ip }), (error?: Error) => error && console.error(error));
  if (request.url === '/stream') {
    const duplex = createWebSocketStream(ws, { encoding: 'utf8' });
    duplex.pipe(process.stdout);
  }
});

const interval = setInterval(() => {
  for (const ws of wss.clients as Set<LiveSocket>) {
    if (ws.isAlive === false) {
      ws.terminate();
      continue;
    }
    ws.isAlive = false;
    ws.ping();
  }
}, 30_000);
wss.on('close', () => clearInterval(interval));

other.on('listening', () => {
  const address = other.address() as WebSocket.AddressInfo;
  console.log(`listening on ${address.address}:${address.port} (${address.family})`);
  other.close((error?: Error) => error && console.error(error));
});
alsoOther.close();
server.listen(0);
