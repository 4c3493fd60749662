// The floor of echo 1 MiB on Node (bench/server-probe.mjs with PROBE_SCRIPT=raw-echo-floor.mjs):
// answers the WebSocket handshake, then writes every read back as it is (no framing, no
// unmasking, no copy), so what it costs is Node's read and write path and the kernel's.
// USERBUF=<bytes> (an experiment, not something to ship): reads go into one reused buffer of
// that size through Node's PRIVATE handle API (`_handle.useUserBuffer`, what `net.connect`'s
// `onread` option uses; accepted sockets have no public way to it), each read copied out.
import crypto from 'node:crypto';
import net from 'node:net';
import { onCommand, report } from './child-io.mjs';
const userBuf = Number(process.env.USERBUF ?? 0);
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let head = Buffer.alloc(0);
  const onHead = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const key = /sec-websocket-key: *(\S+)/i.exec(head.subarray(0, end).toString())[1];
    const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.off('data', onHead);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    if (userBuf > 0) {
      socket.pause();
      const buffer = Buffer.allocUnsafe(userBuf);
      const sym = Object.fromEntries(Object.getOwnPropertySymbols(socket).map((s) => [s.description, s]));
      socket[sym.kBuffer] = buffer;
      socket[sym.kBufferCb] = (n, buf) => {
        socket.write(Buffer.from(buf.subarray(0, n)));
      };
      socket._handle.useUserBuffer(buffer);
      socket.resume();
    } else socket.on('data', (c) => socket.write(c));
  };
  socket.on('data', onHead);
});
server.listen(0, '127.0.0.1', () => report({ type: 'listening', port: server.address().port, topics: false }));
onCommand('cpu', () => ({ type: 'cpu', ...process.cpuUsage() }));
