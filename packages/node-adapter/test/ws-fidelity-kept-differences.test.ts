/**
 * Differences from `ws` kept on purpose (listed in the README's "Differences from ws"), pinned:
 * a peer's bad frame is a ProtocolError with `ws`'s code string (not a RangeError), and the
 * `generateMask` option is not used (masks come from a strong random source, RFC 6455 §5.3).
 * The handshake ones are pinned in ws-fidelity-handshake-checks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { ProtocolError } from '@sansock/core';
import WebSocket from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

describe('kept differences from ws', () => {
  it("a peer's invalid opcode: a ProtocolError with ws's code WS_ERR_INVALID_OPCODE and close code 1002", async () => {
    const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    await next(wss, 'listening');
    wss.on('connection', (peer) => (peer as unknown as { _socket: { write(bytes: Buffer): void } })._socket.write(Buffer.from([0x85, 0x00])));
    try {
      const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as never)}`);
      const [error] = (await next(client, 'error')) as [ProtocolError];
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).not.toBeInstanceOf(RangeError);
      expect(error.code).toBe('WS_ERR_INVALID_OPCODE');
      expect(error.closeCode).toBe(1002);
      await next(client, 'close');
    } finally {
      await closeServer(wss as never);
    }
  });

  it('the generateMask option is not called', async () => {
    const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    await next(wss, 'listening');
    wss.on('connection', (peer) => peer.on('message', (data) => peer.send(data)));
    try {
      let called = 0;
      const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as never)}`, {
        generateMask: () => {
          called++;
        },
      } as never);
      await next(client, 'open');
      client.send('masked anyway');
      const [data] = (await next(client, 'message')) as [Buffer];
      expect(String(data)).toBe('masked anyway');
      expect(called).toBe(0);
      client.close();
      await next(client, 'close');
    } finally {
      await closeServer(wss as never);
    }
  });
});
