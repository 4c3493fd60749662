// A @sansock/node peer for the cross-process tests, driven by text messages:
//   "close:<code>:<reason>"  close with that code and reason
//   "vanish:<bytes>"         start sending a message of <bytes> bytes, then exit mid-message
//   anything else            echoed back (binary as binary, text as text)
// It prints one JSON line per event on stdout: {"event":"listening","port":N}, {"event":"open",
// "extensions":"..."}, {"event":"close","code":N,"reason":"..."}.
//   node node-peer.mjs server          listen on 127.0.0.1, port 0, permessage-deflate on
//   node node-peer.mjs client <url>    connect, permessage-deflate offered
import { WebSocket, WebSocketServer } from '../../../node-adapter/dist/index.js';

const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const MAX_PAYLOAD = 64 * 1024 * 1024;

function drive(ws) {
  print({ event: 'open', extensions: ws.extensions, protocol: ws.protocol });
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (text.startsWith('close:')) {
      const [, code, reason] = text.split(':');
      ws.close(Number(code), reason);
    } else if (text.startsWith('vanish:')) {
      ws.send(Buffer.alloc(Number(text.slice(7)), 7), { compress: false });
      // Whatever the socket has not written yet is lost: the peer sees a message cut short.
      setImmediate(() => process.exit(0));
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
  ws.on('close', (code, reason) => {
    print({ event: 'close', code, reason: reason.toString() });
    if (process.argv[2] === 'client') process.exit(0);
  });
  ws.on('error', (error) => print({ event: 'error', message: error.message }));
}

if (process.argv[2] === 'server') {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: MAX_PAYLOAD });
  server.on('listening', () => print({ event: 'listening', port: server.address().port }));
  server.on('connection', (ws) => {
    drive(ws);
    // One connection per run: the process ends when it closes.
    ws.on('close', () => server.close(() => process.exit(0)));
  });
} else {
  const ws = new WebSocket(process.argv[3], { perMessageDeflate: true, maxPayload: MAX_PAYLOAD });
  ws.on('open', () => drive(ws));
}
