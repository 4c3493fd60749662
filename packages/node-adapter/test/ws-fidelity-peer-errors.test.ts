/**
 * `ws` fidelity of the 'error' a peer's bad frame causes: the same class (`RangeError`, a plain
 * `Error` for invalid UTF-8, zlib's own error for compressed data that does not inflate), `code`,
 * message and `errno` (also where the core's own code is finer, e.g. a continuation frame with
 * nothing to continue), on the WebSocket and through `createWebSocketStream`, compared with the
 * `ws` client given the same bytes by a `ws` server. The close code the client fails the
 * connection with is the same too, and ours carries it as `closeCode`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { createWebSocketStream } from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

const servers: wsPackage.WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server as never);
});

type Client = 'ws' | 'ours';
type Via = 'websocket' | 'stream';

interface Seen {
  className: string;
  isRangeError: boolean;
  code: unknown;
  message: string;
  errno: unknown;
  /** The close code the server received from the failing client. */
  serverSawCode: number;
  closeCode?: unknown;
}

/** A `ws` server (permessage-deflate on) writes `frame` raw to the client; what the client reports. */
async function errorFor(client: Client, frame: Buffer, via: Via): Promise<Seen> {
  const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: true });
  servers.push(wss);
  await next(wss, 'listening');
  const serverSaw = new Promise<number>((resolve) => {
    wss.on('connection', (peer) => {
      peer.on('error', () => {});
      peer.on('close', (code) => resolve(code));
      (peer as unknown as { _socket: { write(bytes: Buffer): void } })._socket.write(frame);
    });
  });
  const url = `ws://127.0.0.1:${portOf(wss as never)}`;
  let emitter: NodeJS.EventEmitter;
  if (client === 'ws') {
    const ws = new wsPackage.WebSocket(url);
    emitter = via === 'stream' ? wsPackage.createWebSocketStream(ws) : ws;
  } else {
    const ws = new WebSocket(url);
    emitter = via === 'stream' ? createWebSocketStream(ws) : ws;
  }
  // A stream emits 'close' right after 'error', in the same tick: both awaited from the start.
  const errored = next<[Error & { code?: unknown; errno?: unknown; closeCode?: unknown }]>(emitter, 'error');
  const closed = next(emitter, 'close');
  const [error] = await errored;
  await closed;
  const seen: Seen = {
    className: error.constructor.name,
    isRangeError: error instanceof RangeError,
    code: error.code,
    message: error.message,
    errno: error.errno,
    serverSawCode: await serverSaw,
  };
  if (client === 'ours') seen.closeCode = error.closeCode;
  return seen;
}

const cases: Array<[string, Buffer, Partial<Seen>]> = [
  [
    'an invalid opcode',
    Buffer.from([0x85, 0x00]),
    { className: 'RangeError', code: 'WS_ERR_INVALID_OPCODE', message: 'Invalid WebSocket frame: invalid opcode 5', serverSawCode: 1002 },
  ],
  [
    'invalid UTF-8 in a text message',
    Buffer.from([0x81, 0x02, 0xc3, 0x28]),
    { className: 'Error', isRangeError: false, code: 'WS_ERR_INVALID_UTF8', serverSawCode: 1007 },
  ],
  [
    'a close frame with a 1-byte payload',
    Buffer.from([0x88, 0x01, 0x03]),
    { className: 'RangeError', code: 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', message: 'Invalid WebSocket frame: invalid payload length 1', serverSawCode: 1002 },
  ],
  [
    'a continuation frame with no message to continue',
    Buffer.from([0x80, 0x00]),
    { className: 'RangeError', code: 'WS_ERR_INVALID_OPCODE', message: 'Invalid WebSocket frame: invalid opcode 0', serverSawCode: 1002 },
  ],
  [
    'a binary frame inside a fragmented text message',
    Buffer.from([0x01, 0x01, 0x61, 0x82, 0x01, 0x62]),
    { className: 'RangeError', code: 'WS_ERR_INVALID_OPCODE', message: 'Invalid WebSocket frame: invalid opcode 2', serverSawCode: 1002 },
  ],
  [
    'invalid UTF-8 in a close reason',
    Buffer.from([0x88, 0x04, 0x03, 0xe8, 0xc3, 0x28]),
    { className: 'Error', code: 'WS_ERR_INVALID_UTF8', message: 'Invalid WebSocket frame: invalid UTF-8 sequence', serverSawCode: 1007 },
  ],
  [
    'a ping over 125 bytes',
    Buffer.from([0x89, 0x7e, 0x00, 0x7e]),
    { className: 'RangeError', code: 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', message: 'Invalid WebSocket frame: invalid payload length 126', serverSawCode: 1002 },
  ],
  [
    'a close code that may not be sent',
    Buffer.from([0x88, 0x02, 0x03, 0xec]),
    { className: 'RangeError', code: 'WS_ERR_INVALID_CLOSE_CODE', message: 'Invalid WebSocket frame: invalid status code 1004', serverSawCode: 1002 },
  ],
  [
    'compressed data that does not inflate',
    // RSV1 + binary, 4 bytes that are not DEFLATE (ws's own test uses the same payload).
    Buffer.from([0xc2, 0x04, 0x22, 0xfa, 0xec, 0x78]),
    { className: 'Error', isRangeError: false, code: 'Z_DATA_ERROR', errno: -3, serverSawCode: 1007 },
  ],
];

describe("a peer's bad frame: the same error as ws", () => {
  for (const [name, frame, expected] of cases) {
    for (const via of ['websocket', 'stream'] as const) {
      it(`${name} (${via === 'stream' ? 'createWebSocketStream' : 'WebSocket'})`, async () => {
        const theirs = await errorFor('ws', frame, via);
        const ours = await errorFor('ours', frame, via);
        expect(theirs).toMatchObject(expected);
        const { closeCode, ...shape } = ours;
        expect(shape).toEqual(theirs);
        expect(closeCode).toBe(expected.serverSawCode);
      });
    }
  }
});
