/**
 * The harness's own permessage-deflate (RFC 7692), on node:zlib streams, independent of the
 * code under test: it compresses what a case sends and inflates what the server sends back,
 * keeping or dropping the LZ77 context as negotiated.
 */
import { type DeflateRaw, type InflateRaw, constants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import { Inflater } from '@sansock/core/deflate';
import { concat } from '../src/bytes.js';
import type { ServerFrame } from './raw-client.js';

const TRAILER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/** The negotiated parameters, read from the server's Sec-WebSocket-Extensions response. */
export interface DeflateAgreement {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number;
  readonly clientMaxWindowBits: number;
}

/** Parses a `permessage-deflate; a; b=c` response (simple on purpose: the values are tokens). */
export function parseDeflateResponse(header: string | undefined): DeflateAgreement | string {
  if (header === undefined || header.trim() === '') return 'the server did not accept permessage-deflate';
  const [name, ...params] = header.split(';').map((p) => p.trim());
  if (name !== 'permessage-deflate' || header.includes(',')) return `unexpected extension response: ${header}`;
  const values = new Map<string, string | true>();
  for (const p of params) {
    const [key, value] = p.split('=').map((x) => x.trim().replace(/^"|"$/g, ''));
    if (key === undefined || values.has(key)) return `malformed or repeated parameter in ${header}`;
    values.set(key, value ?? true);
  }
  const bits = (key: string): number | string => {
    const v = values.get(key);
    if (v === undefined) return 15;
    const n = Number(v);
    return Number.isInteger(n) && n >= 8 && n <= 15 ? n : `bad ${key} in ${header}`;
  };
  const server = bits('server_max_window_bits');
  const client = bits('client_max_window_bits');
  if (typeof server === 'string') return server;
  if (typeof client === 'string') return client;
  for (const key of values.keys()) {
    if (!['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'].includes(key)) return `unknown parameter ${key}`;
  }
  return {
    serverNoContextTakeover: values.has('server_no_context_takeover'),
    clientNoContextTakeover: values.has('client_no_context_takeover'),
    serverMaxWindowBits: server,
    clientMaxWindowBits: client,
  };
}

/** Runs one sync flush on a zlib stream and returns everything it produced. */
function flushThrough(stream: DeflateRaw | InflateRaw, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onError = (error: Error) => {
      stream.off('data', onData);
      reject(error);
    };
    stream.on('data', onData);
    stream.once('error', onError);
    stream.write(data);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      stream.off('data', onData);
      stream.off('error', onError);
      resolve(concat(chunks));
    });
  });
}

export class DeflateSession {
  private deflater: DeflateRaw | undefined;
  private inflater: InflateRaw | undefined;
  /**
   * zlib's inflate does not enforce the window within one output buffer, so a second inflater
   * (the core's pure-TS one, which does) checks that the peer never references farther back
   * than the window it agreed to. zlib stays the judge of the data itself.
   */
  private windowCheck: Inflater | undefined;
  /** The data message being received: its opcode, whether it is compressed, its payloads. */
  private incoming: { opcode: number; compressed: boolean; parts: Uint8Array[] } | undefined;
  /** Our sending side's context rule and window, and the peer's. */
  private readonly ours: { readonly noContext: boolean; readonly windowBits: number };
  private readonly theirs: { readonly noContext: boolean; readonly windowBits: number };

  /** `role` is the harness's side: a raw client testing a server, or a raw server testing a client. */
  constructor(
    readonly agreement: DeflateAgreement,
    role: 'client' | 'server' = 'client',
  ) {
    const client = { noContext: agreement.clientNoContextTakeover, windowBits: agreement.clientMaxWindowBits };
    const server = { noContext: agreement.serverNoContextTakeover, windowBits: agreement.serverMaxWindowBits };
    this.ours = role === 'client' ? client : server;
    this.theirs = role === 'client' ? server : client;
  }

  /** Compresses one whole message (§7.2.1): deflate, sync flush, drop the trailing 00 00 FF FF. */
  async compress(data: Uint8Array): Promise<Uint8Array> {
    if (this.ours.noContext || this.deflater === undefined) {
      this.deflater?.close();
      // zlib cannot make raw streams with an 8-bit window; 9 stays within a 256-byte window's distances for its output.
      this.deflater = createDeflateRaw({ windowBits: Math.max(9, this.ours.windowBits) });
    }
    const out = await flushThrough(this.deflater, data);
    return out.subarray(0, out.length - 4);
  }

  /**
   * A frame from the server: control frames pass through; a data message is returned whole
   * (one frame, inflated if it was compressed) once its last frame arrives. Frames the RFC
   * forbids (RSV1 on a continuation or control frame) pass through untouched so the judge sees them.
   */
  async receive(frame: ServerFrame): Promise<ServerFrame[]> {
    if (frame.opcode >= 8) return [frame];
    if (frame.opcode !== 0) {
      if (this.incoming !== undefined) return [frame];
      this.incoming = { opcode: frame.opcode, compressed: (frame.rsv & 0x40) !== 0, parts: [] };
    } else if (this.incoming === undefined || frame.rsv !== 0) {
      return [frame];
    }
    const message = this.incoming;
    message.parts.push(frame.payload);
    if (!frame.fin) return [];
    this.incoming = undefined;
    const payload = concat(message.parts);
    const rsv = frame.opcode !== 0 ? frame.rsv & ~0x40 : 0;
    if (!message.compressed) return [{ ...frame, opcode: message.opcode, rsv, payload }];
    // Inflate with exactly the peer's negotiated window and context rule, so a peer that uses a
    // larger window or keeps a context it agreed to drop produces data we cannot inflate.
    if (this.theirs.noContext || this.inflater === undefined) {
      this.inflater?.close();
      this.inflater = createInflateRaw({ windowBits: Math.max(9, this.theirs.windowBits) });
    }
    const inflated = await flushThrough(this.inflater, concat([payload, TRAILER]));
    if (this.theirs.windowBits < 15) {
      if (this.theirs.noContext || this.windowCheck === undefined) this.windowCheck = new Inflater(1 << this.theirs.windowBits);
      try {
        this.windowCheck.push([payload, TRAILER], Number.MAX_SAFE_INTEGER);
      } catch (error) {
        if (String(error).includes('too far back')) {
          // Reported as an opcode no peer may send, so the judge flags it.
          return [{ ...frame, opcode: 0xf, payload: new TextEncoder().encode(`window exceeded: ${String(error)}`) }];
        }
      }
    }
    return [{ ...frame, opcode: message.opcode, fin: true, rsv, payload: inflated }];
  }

  dispose(): void {
    this.deflater?.close();
    this.inflater?.close();
  }
}
