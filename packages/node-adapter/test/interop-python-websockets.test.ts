import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from '@sansock/node';
import { describeWithPeer } from './peers/peer-suite.js';
import { findPythonWebsockets } from './peers/python-websockets.js';

/**
 * Interop with a peer we did not write: Python's `websockets` (Debian python3-websockets),
 * both directions, with permessage-deflate negotiated (websockets offers it by default).
 */

const python = findPythonWebsockets();
const PEER = join(import.meta.dirname, 'interop', 'python-peer.py');

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the Python peer and yields each JSON line it prints. */
function startPeer(interpreter: string, ...args: string[]): AsyncIterator<Record<string, unknown>> {
  const child = spawn(interpreter, [PEER, ...args]);
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async next() {
      const line = await lines.next();
      if (line.done) throw new Error(`python peer exited without output: ${stderr}`);
      return { done: false, value: JSON.parse(line.value) as Record<string, unknown> };
    },
  };
}

describeWithPeer('python3-websockets', python, 'interop with Python websockets', ({ python: interpreter }) => {
  it('a Python client talks to our server: echoes, 1 MiB message, ping, close 4001', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: true });
    await new Promise<void>((resolve) => wss.on('listening', resolve));
    const closed = new Promise<[number, string, string]>((resolve) => {
      wss.on('connection', (ws) => {
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        ws.on('close', (code, reason) => resolve([code, reason.toString(), ws.extensions]));
      });
    });
    const { port } = wss.address() as AddressInfo;
    const peer = startPeer(interpreter, 'client', `ws://127.0.0.1:${port}/`);
    const report = (await peer.next()).value;
    expect(report).toMatchObject({
      echoes: ['héllo from python', '000102ff', ''],
      big_ok: true,
      pong: true,
      close_code: 4001,
      extensions: ['permessage-deflate'],
    });
    const [code, reason, extensions] = await closed;
    expect(code).toBe(4001);
    expect(reason).toBe('py-bye');
    expect(extensions).toContain('permessage-deflate');
    await new Promise((resolve) => wss.close(resolve));
  });

  it('our client talks to a Python server: echoes and a clean close with code and reason', async () => {
    const peer = startPeer(interpreter, 'server');
    const { port } = (await peer.next()).value as { port: number };
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const received: Array<string | Buffer> = [];
    ws.on('message', (data, isBinary) => received.push(isBinary ? (data as Buffer) : data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    expect(ws.extensions).toContain('permessage-deflate');
    ws.send('hello python');
    ws.send(Buffer.from([9, 8, 7]));
    const big = Buffer.alloc(1 << 20, 'x');
    ws.send(big);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(3);
    expect(received[0]).toBe('hello python');
    expect(received[1]).toEqual(Buffer.from([9, 8, 7]));
    expect((received[2] as Buffer).equals(big)).toBe(true);
    const closed = new Promise<[number, string]>((resolve) => ws.on('close', (code, reason) => resolve([code, reason.toString()])));
    ws.close(4002, 'node-bye');
    // websockets echoes the close code, and reports what it received.
    expect((await closed)[0]).toBe(4002);
    expect((await peer.next()).value).toMatchObject({ close_code: 4002, close_reason: 'node-bye', extensions: ['permessage-deflate'] });
  });
});
