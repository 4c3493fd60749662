/**
 * A minimal WebSocket client over raw TCP that only counts bytes: it does the opening handshake,
 * then hands every received byte to `onBytes`. Fan-out uses it so that the clients cost almost
 * nothing and the server under test is what limits the rate (on a 2-core machine, full
 * WebSocket clients would be the bottleneck whatever the server).
 */
import net from 'node:net';

const HANDSHAKE = (port) =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

export function rawConnect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    let onBytes = () => {};
    const client = {
      socket,
      onBytes: (callback) => {
        onBytes = callback;
      },
      write: (bytes) => socket.write(bytes),
    };
    const onHead = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) {
        reject(new Error(`handshake refused: ${head.subarray(0, end).toString('latin1').split('\r\n')[0]}`));
        socket.destroy();
        return;
      }
      socket.off('data', onHead);
      socket.on('data', (data) => onBytes(data.length));
      resolve(client);
      const rest = head.subarray(end + 4);
      if (rest.length > 0) onBytes(rest.length);
    };
    socket.on('data', onHead);
    socket.once('error', reject);
    socket.write(HANDSHAKE(port));
  });
}

/** A masked binary frame from a client (payload ≤ 125 bytes), ready to write again and again. */
export function maskedFrame(payload) {
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x82;
  frame[1] = 0x80 | payload.length;
  frame.set([0x12, 0x34, 0x56, 0x78], 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i] ^ frame[2 + (i & 3)];
  return frame;
}
