/**
 * The demo survives its users: run as `pnpm demo` runs it (a separate process, on the built
 * @sansock/node), it is sent a message over its 4 KiB limit, a text message that is not
 * UTF-8, and a handshake that stops halfway, and must still serve a normal client afterwards.
 * An unhandled 'error' would end the process, so the test checks that it is still running.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from '@sansock/node';

const SCRIPT = fileURLToPath(new URL('./chat-server.mjs', import.meta.url));

let demo: ChildProcessWithoutNullStreams;
let chatUrl: string;
let logs = '';

beforeAll(async () => {
  demo = spawn(process.execPath, [SCRIPT, '--port', '0']);
  demo.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const lines = createInterface({ input: demo.stdout });
  const exited = once(demo, 'exit').then(() => {
    throw new Error(`the demo exited before printing its URL: ${logs}`);
  });
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  const url = /http:\/\/\S+\//.exec(line)?.[0];
  if (url === undefined) throw new Error(`no URL in the demo's first line: ${line}`);
  chatUrl = `${url.replace('http:', 'ws:')}chat`;
});
afterAll(() => {
  demo?.kill();
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(chatUrl);
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

const closeCodeOf = (ws: WebSocket): Promise<number> => new Promise((resolve) => ws.on('close', (code) => resolve(code)));

/** A raw TCP client past the opening handshake (no extensions), and what it receives. */
async function rawClient(): Promise<{ socket: net.Socket; received: () => Buffer }> {
  const { hostname, port } = new URL(chatUrl);
  const socket = net.connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'connect');
  const key = randomBytes(16).toString('base64');
  socket.write(`GET /chat HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await expect.poll(() => Buffer.concat(chunks).includes('\r\n\r\n')).toBe(true);
  return { socket, received: () => Buffer.concat(chunks) };
}

/** A masked client frame, FIN set (payload < 126 bytes). */
function clientFrame(opcode: number, payload: Uint8Array): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

it('closes a message over 4 KiB with 1009 and keeps serving', async () => {
  const ws = await open();
  const closed = closeCodeOf(ws);
  ws.send('x'.repeat(5000));
  expect(await closed).toBe(1009);
  await expect.poll(() => logs).toContain('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
});

it('closes a text message that is not UTF-8 with 1007 and keeps serving', async () => {
  const { socket, received } = await rawClient();
  socket.write(clientFrame(0x1, Uint8Array.of(0x68, 0xff, 0xfe)));
  // The server's close frame: 0x88, length 2 or more, then 1007 (0x03ef).
  await expect.poll(() => received().includes(Buffer.from([0x03, 0xef]))).toBe(true);
  socket.destroy();
  await expect.poll(() => logs).toContain('WS_ERR_INVALID_UTF8');
});

it('shrugs off a handshake that stops halfway and a malformed request', async () => {
  const { hostname, port } = new URL(chatUrl);
  const half = net.connect(Number(port), hostname);
  await once(half, 'connect');
  half.resume(); // read the server's answer, if any, so that 'close' can come
  half.end('GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: webs');
  await once(half, 'close');
  const vanished = net.connect(Number(port), hostname);
  await once(vanished, 'connect');
  vanished.write('GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upg');
  vanished.destroy();
  const garbage = net.connect(Number(port), hostname);
  garbage.on('data', () => {});
  await once(garbage, 'connect');
  garbage.write('\x00\x01 not http at all\r\n\r\n');
  await once(garbage, 'close');
});

it('still serves normal clients: both get each other\'s messages', async () => {
  expect(demo.exitCode).toBeNull();
  const alice = await open();
  const bob = await open();
  const bobInbox: string[] = [];
  bob.on('message', (data) => bobInbox.push((JSON.parse(data.toString()) as { text: string }).text));
  alice.send('still here?');
  await expect.poll(() => bobInbox).toContain('still here?');
  alice.close();
  bob.close();
  await Promise.all([closeCodeOf(alice), closeCodeOf(bob)]);
  expect(demo.exitCode).toBeNull();
});
