/**
 * A raw TCP peer that speaks bytes, not WebSocket: handshakes by hand and writes whatever
 * frames a test needs (hostile ones included), then reads what comes back until EOF.
 */

const encoder = new TextEncoder();

export const OPCODE = { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

/** One frame, byte by byte (RFC 6455 §5.2); masked with a fixed key unless `mask: false`. */
export function frame(
  opcode: number,
  payload: Uint8Array | string,
  options: { fin?: boolean; rsv1?: boolean; mask?: boolean; declaredLength?: number } = {},
): Uint8Array {
  const data = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const length = options.declaredLength ?? data.length;
  const mask = options.mask ?? true;
  const header: number[] = [((options.fin ?? true) ? 0x80 : 0) | (options.rsv1 ? 0x40 : 0) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127, 0, 0, 0, 0);
    header.push((length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  }
  const key = [0x12, 0x34, 0x56, 0x78];
  if (mask) header.push(...key);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  for (let i = 0; i < data.length; i++) out[header.length + i] = mask ? data[i]! ^ key[i & 3]! : data[i]!;
  return out;
}

export function closePayload(code: number, reason = ''): Uint8Array {
  const text = encoder.encode(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >> 8;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}

export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length; ) written += await conn.write(bytes.subarray(written));
}

/** Reads until EOF or a reset; returns everything. */
export async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    let count: number | null;
    try {
      count = await conn.read(buffer);
    } catch {
      break;
    }
    if (count === null) break;
    chunks.push(buffer.slice(0, count));
  }
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The status code of the first close frame in unmasked server (or masked client) output; undefined if none. */
export function firstCloseCode(bytes: Uint8Array): number | undefined {
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset]! & 0x0f;
    const masked = (bytes[offset + 1]! & 0x80) !== 0;
    let length = bytes[offset + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
      header = 4;
    } else if (length === 127) {
      length = bytes[offset + 6]! * 2 ** 24 + ((bytes[offset + 7]! << 16) | (bytes[offset + 8]! << 8) | bytes[offset + 9]!);
      header = 10;
    }
    const start = offset + header + (masked ? 4 : 0);
    if (opcode === OPCODE.CLOSE) {
      if (length < 2) return 1005;
      const key = masked ? bytes.subarray(offset + header, offset + header + 4) : undefined;
      const b0 = bytes[start]! ^ (key?.[0] ?? 0);
      const b1 = bytes[start + 1]! ^ (key?.[1] ?? 0);
      return (b0 << 8) | b1;
    }
    offset = start + length;
  }
  return undefined;
}

const REQUEST_HEAD =
  'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

/** Connects and completes the opening handshake; returns the conn and the response head. */
export async function rawClient(port: number, extraHeaders = ''): Promise<{ conn: Deno.Conn; head: string }> {
  const conn = await Deno.connect({ hostname: '127.0.0.1', port });
  await writeAll(conn, encoder.encode(`${REQUEST_HEAD}${extraHeaders}\r\n`));
  let head = '';
  const byte = new Uint8Array(1);
  // One byte at a time: nothing after the head is consumed.
  while (!head.endsWith('\r\n\r\n')) {
    const count = await conn.read(byte);
    if (count === null) break;
    head += String.fromCharCode(byte[0]!);
  }
  return { conn, head };
}

/** A fake server: accepts one connection, answers the handshake with a valid 101 (the accept key of the test key is fixed). */
export async function rawServer(): Promise<{ port: number; accept(): Promise<Deno.Conn>; close(): void }> {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  return {
    port: listener.addr.port,
    async accept() {
      const conn = await listener.accept();
      let head = '';
      const byte = new Uint8Array(1);
      while (!head.endsWith('\r\n\r\n')) {
        const count = await conn.read(byte);
        if (count === null) break;
        head += String.fromCharCode(byte[0]!);
      }
      const key = /sec-websocket-key: *(\S+)/i.exec(head)![1]!;
      const accept = await acceptKey(key);
      await writeAll(conn, encoder.encode(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`));
      return conn;
    },
    close: () => listener.close(),
  };
}

async function acceptKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', encoder.encode(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** Raw DEFLATE (one final block) of `bytes`, from the runtime's CompressionStream. */
export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
