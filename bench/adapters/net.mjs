/**
 * The ceiling: raw TCP carrying the same payload bytes with no framing at all. The clients
 * count bytes, so the numbers stay comparable. With `messageSize`, the server collects whole
 * messages before echoing them (every complete message that has arrived, in one write), as a
 * WebSocket server must: echoing each 64 KiB read as it comes would interleave small reads and
 * writes and make the "ceiling" slower than the libraries for large messages. Sends made while a
 * read is handled are corked into one write, on both sides.
 */
import net from 'node:net';
import { once } from 'node:events';

export async function load() {}

function wrap(socket, messageSize = 1) {
  socket.setNoDelay(true); // as every WebSocket library does
  socket.on('error', () => {});
  return {
    send: (data) => socket.write(data),
    onMessage: (callback) => {
      let pending = [];
      let pendingBytes = 0;
      socket.on('data', (chunk) => {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < messageSize) return;
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
        const whole = pendingBytes - (pendingBytes % messageSize);
        const rest = all.subarray(whole);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        // Whatever the callback sends goes out in one write, as the WebSocket libraries that
        // batch per read do (sansock): the ceiling must not pay a syscall per message they skip.
        socket.cork();
        try {
          callback(all.subarray(0, whole), true);
        } finally {
          socket.uncork();
        }
      });
    },
    extensions: '',
    terminate: () => socket.destroy(),
  };
}

export async function createServer({ perMessageDeflate = false, messageSize = 1 } = {}) {
  if (perMessageDeflate) throw new Error('raw TCP has no compression');
  let handler = () => {};
  const server = net.createServer((socket) => handler(wrap(socket, messageSize)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: server.address().port,
    onConnection: (h) => {
      handler = h;
    },
    close: () => server.close(),
  };
}

export function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(wrap(socket));
    });
    socket.once('error', reject);
  });
}
