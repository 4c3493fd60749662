/**
 * A minimal WebSocket client over raw TCP that only counts bytes: it does the opening handshake,
 * then hands every received chunk to `onBytes(length, chunk)`. Fan-out uses it so that the clients cost almost
 * nothing and the server under test is what limits the rate (on a 2-core machine, full
 * WebSocket clients would be the bottleneck whatever the server).
 */
import net from 'node:net';

const HANDSHAKE = (port, extensions) =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
  (extensions ? `Sec-WebSocket-Extensions: ${extensions}\r\n` : '') +
  '\r\n';

/**
 * `extensions`: a Sec-WebSocket-Extensions offer; the server's answer is `client.extensions`
 * ('' when it accepted none).
 */
export function rawConnect(port, { extensions } = {}) {
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
      extensions: '',
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
      const accepted = /\r\nsec-websocket-extensions:\s*([^\r]*)/i.exec(head.subarray(0, end + 2).toString('latin1'));
      client.extensions = accepted ? accepted[1].trim() : '';
      socket.off('data', onHead);
      socket.on('data', (data) => onBytes(data.length, data));
      resolve(client);
      const rest = head.subarray(end + 4);
      if (rest.length > 0) onBytes(rest.length, rest);
    };
    socket.on('data', onHead);
    socket.once('error', reject);
    socket.write(HANDSHAKE(port, extensions));
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

/**
 * A masked client frame of any size, with the given first byte (FIN, RSV1, opcode), ready to
 * write again and again (the mask key is fixed: this is a load generator).
 */
export function maskedFrameOf(payload, firstByte = 0x82) {
  const size = payload.length;
  const lengthBytes = size < 126 ? 0 : size < 65536 ? 2 : 8;
  const header = 2 + lengthBytes + 4;
  const frame = Buffer.alloc(header + size);
  frame[0] = firstByte;
  if (lengthBytes === 0) frame[1] = 0x80 | size;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(size, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(size), 2);
  }
  const key = [0x12, 0x34, 0x56, 0x78];
  frame.set(key, header - 4);
  for (let i = 0; i < size; i++) frame[header + i] = payload[i] ^ key[i & 3];
  return frame;
}

/** Bytes of an unmasked server frame carrying `payloadSize` bytes. */
export const serverFrameSize = (payloadSize) => payloadSize + (payloadSize < 126 ? 2 : payloadSize < 65536 ? 4 : 10);

/**
 * Counts the server's (unmasked) frames in a byte stream without looking at payloads: what a
 * client needs when compressed frames have no fixed size. `messages` counts final frames (FIN),
 * `compressed` those with RSV1 set (permessage-deflate, RFC 7692 §6).
 */
export class FrameCounter {
  messages = 0;
  compressed = 0;
  #header = Buffer.alloc(10);
  #headerHave = 0;
  #skip = 0;

  push(chunk) {
    let at = 0;
    while (at < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - at);
        this.#skip -= n;
        at += n;
        continue;
      }
      this.#header[this.#headerHave++] = chunk[at++];
      if (this.#headerHave < 2) continue;
      const code = this.#header[1] & 0x7f;
      const need = code < 126 ? 2 : code === 126 ? 4 : 10;
      if (this.#headerHave < need) continue;
      const length = code < 126 ? code : code === 126 ? this.#header.readUInt16BE(2) : Number(this.#header.readBigUInt64BE(2));
      if (this.#header[0] & 0x80) this.messages++;
      if (this.#header[0] & 0x40) this.compressed++;
      this.#headerHave = 0;
      this.#skip = length;
    }
  }
}
