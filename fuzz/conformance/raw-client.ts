/**
 * A raw TCP WebSocket peer for conformance cases. As a client (`RawClient.connect`) it does the
 * HTTP upgrade by hand; as a server (`RawClient.accept`, testing a client) it answers one. It
 * sends frames exactly as a case crafts them (a client masks them unless told otherwise, a
 * server does not unless told to) and records every frame the other side sends and whether
 * the other side closed the TCP connection.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { concat } from '../src/bytes.js';
import { type RawFrame, type WalkedFrame, encodeRawFrame, walkFrames } from '../src/wire.js';
import { DeflateSession, parseDeflateResponse } from './deflate-session.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface ServerFrame {
  readonly opcode: number;
  readonly fin: boolean;
  readonly rsv: number;
  readonly masked: boolean;
  readonly payload: Uint8Array;
}

export class RawClient {
  readonly frames: ServerFrame[] = [];
  tcpClosed = false;
  private buffer: Uint8Array = new Uint8Array(0);
  private waiters: Array<() => void> = [];
  /** permessage-deflate, when negotiated: frames then go through it in order. */
  deflate: DeflateSession | undefined;
  /** The server's Sec-WebSocket-Extensions response, if any. */
  extensionsResponse: string | undefined;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly socket: net.Socket,
    /** Client frames are masked by default (§5.3), server frames are not (§5.1). */
    readonly masksByDefault: boolean,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = concat([this.buffer, chunk]);
      const { frames } = walkFrames(this.buffer);
      let used = 0;
      for (const f of frames) {
        if (f.payload === undefined) break;
        this.onFrame(toServerFrame(f));
        used = f.start + f.headerSize + f.length;
      }
      this.buffer = this.buffer.subarray(used);
      this.wake();
    });
    socket.on('close', () => {
      // After the frames before it (inflating may still be running).
      this.queue = this.queue.then(() => {
        this.tcpClosed = true;
        this.deflate?.dispose();
        this.wake();
      });
    });
    socket.on('error', () => {
      /* a reset is a close; 'close' follows */
    });
  }

  private onFrame(frame: ServerFrame): void {
    const deflate = this.deflate;
    if (deflate === undefined) {
      this.frames.push(frame);
      return;
    }
    this.queue = this.queue.then(async () => {
      try {
        for (const out of await deflate.receive(frame)) this.frames.push(out);
      } catch (error) {
        // Undecodable compressed data from the server: keep it visible to the judge as a bad frame.
        this.frames.push({ ...frame, opcode: 0xf, payload: new TextEncoder().encode(String(error)) });
      }
      this.wake();
    });
  }

  /**
   * Connects and upgrades. `early` bytes go in the same TCP write as the request (frames sent
   * before the 101). `extensions` is sent as Sec-WebSocket-Extensions; a permessage-deflate
   * answer turns on compression (`sendCompressed`) and inflation of what the server sends.
   */
  static async connect(port: number, early: Uint8Array = new Uint8Array(0), extensions?: string): Promise<RawClient> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const key = randomBytes(16).toString('base64');
    const request =
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
      (extensions === undefined ? '' : `Sec-WebSocket-Extensions: ${extensions}\r\n`) +
      '\r\n';
    const headPromise = readHead(socket);
    socket.write(concat([Buffer.from(request, 'latin1'), early]));
    const head = await headPromise;
    const expectedAccept = createHash('sha1').update(key + GUID).digest('base64');
    const lines = head.head.split('\r\n');
    if (!/^HTTP\/1\.1 101 /.test(lines[0] ?? '')) throw new Error(`upgrade refused: ${lines[0]}`);
    const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))?.split(':')[1]?.trim();
    if (accept !== expectedAccept) throw new Error(`bad Sec-WebSocket-Accept ${accept}`);
    const client = new RawClient(socket, true);
    client.extensionsResponse = lines.find((l) => /^sec-websocket-extensions:/i.test(l))?.replace(/^[^:]*:/, '').trim();
    if (extensions !== undefined && client.extensionsResponse !== undefined) {
      const agreement = parseDeflateResponse(client.extensionsResponse);
      if (typeof agreement === 'string') {
        socket.destroy();
        throw new Error(agreement);
      }
      client.deflate = new DeflateSession(agreement);
    }
    if (head.rest.length > 0) socket.emit('data', head.rest);
    return client;
  }

  /**
   * Server side: reads the client's upgrade request from `socket` and answers 101, with
   * `extensions` as Sec-WebSocket-Extensions if given (a permessage-deflate answer turns on
   * compression; the client must have offered permessage-deflate, else this throws).
   */
  static async accept(socket: net.Socket, extensions?: string): Promise<RawClient> {
    socket.setNoDelay(true);
    const { head, rest } = await readHead(socket);
    const key = /\r\nsec-websocket-key:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
    if (key === undefined) throw new Error(`no Sec-WebSocket-Key in ${head.split('\r\n')[0]}`);
    const offered = /\r\nsec-websocket-extensions:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
    if (extensions?.startsWith('permessage-deflate') && !(offered ?? '').includes('permessage-deflate')) {
      socket.destroy();
      throw new Error(`the client did not offer permessage-deflate (offer: ${offered ?? 'none'})`);
    }
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    const extensionsLine = extensions === undefined ? '' : `Sec-WebSocket-Extensions: ${extensions}\r\n`;
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${extensionsLine}\r\n`);
    const peer = new RawClient(socket, false);
    peer.extensionsResponse = extensions;
    const agreement = extensions === undefined ? undefined : parseDeflateResponse(extensions);
    if (agreement !== undefined && typeof agreement !== 'string') peer.deflate = new DeflateSession(agreement, 'server');
    if (rest.length > 0) socket.emit('data', rest);
    return peer;
  }

  /**
   * Sends one frame. `mask`: a key, null for none, or absent for the role's default (a fresh
   * random key for a client, none for a server). `chunk` writes it in pieces of that size.
   */
  async send(frame: Omit<RawFrame, 'mask'> & { mask?: Uint8Array | null }, chunk?: number): Promise<void> {
    const mask = frame.mask === null ? undefined : (frame.mask ?? (this.masksByDefault ? randomBytes(4) : undefined));
    await this.write(encodeRawFrame({ ...frame, mask }), chunk);
  }

  /**
   * Sends a compressed message (RFC 7692 §7.2.1): RSV1 on the first frame only, the compressed
   * bytes split into `fragments` frames. `rsvOnAll` breaks §6.1 on purpose (RSV1 on continuations).
   */
  async sendCompressed(opcode: number, data: Uint8Array, options: { fragments?: number; rsvOnAll?: boolean; chunk?: number } = {}): Promise<void> {
    if (this.deflate === undefined) throw new Error('permessage-deflate was not negotiated');
    const compressed = await this.deflate.compress(data);
    const count = Math.max(1, options.fragments ?? 1);
    const size = Math.ceil(compressed.length / count);
    for (let i = 0; i < count; i++) {
      const payload = compressed.subarray(i * size, Math.min(compressed.length, (i + 1) * size));
      const rsv = i === 0 || options.rsvOnAll ? 0x40 : 0;
      await this.send({ fin: i === count - 1, rsv, opcode: i === 0 ? opcode : 0, payload }, options.chunk);
    }
  }

  /** Writes raw bytes, optionally in pieces with a pause between (so the server sees them separately). */
  async write(bytes: Uint8Array, chunk?: number): Promise<void> {
    if (this.tcpClosed) return;
    if (chunk === undefined) {
      this.socket.write(bytes);
      return;
    }
    for (let i = 0; i < bytes.length; i += chunk) {
      if (this.tcpClosed) return;
      this.socket.write(bytes.subarray(i, i + chunk));
      if (bytes.length / chunk <= 200) await pause(1);
    }
  }

  /** Resolves when `predicate` holds (true) or after `ms` (false). */
  async until(predicate: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  /** Closes our side of the TCP connection (FIN). */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Reads an HTTP head (up to the empty line) from the socket; what followed it comes back as `rest`. */
function readHead(socket: net.Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
    };
    const onClose = () => reject(new Error('closed during the handshake'));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toServerFrame(f: WalkedFrame): ServerFrame {
  return { opcode: f.opcode, fin: f.fin, rsv: f.rsv, masked: f.masked, payload: f.payload ?? new Uint8Array(0) };
}
