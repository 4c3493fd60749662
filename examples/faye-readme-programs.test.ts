/**
 * The programs of faye-websocket's README (examples/faye/*.js, CommonJS, only the require path
 * changed) run with `node` against the built package (the root `pnpm test` builds first) and
 * talk to the real faye-websocket: its Client to our server, our client to its server, and an
 * event-stream reader to our EventSource server. The README's other snippets (`ws.pipe(ws)`,
 * subprotocols, the permessage-deflate extension, `ping(message, callback)`, the proxy client)
 * are stream-server.js and proxy-client.js.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, it } from 'vitest';

const require = createRequire(new URL('../packages/node-adapter/package.json', import.meta.url));
interface TheirSocket extends NodeJS.EventEmitter {
  send(data: string): boolean;
  close(): void;
  readonly protocol: string;
}
const TheirFaye = require('faye-websocket') as {
  new (request: http.IncomingMessage, socket: Duplex, body: Buffer, protocols?: string[]): TheirSocket;
  isWebSocket(request: http.IncomingMessage): boolean;
  Client: new (url: string, protocols?: string[]) => TheirSocket;
};

const examples = fileURLToPath(new URL('./faye/', import.meta.url));
const built = fileURLToPath(new URL('../packages/node-adapter/dist/faye.cjs', import.meta.url));

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

beforeAll(() => {
  expect(existsSync(built), 'packages/node-adapter/dist/faye.cjs is missing: run `pnpm build`').toBe(true);
});

/** Starts `node examples/faye/<name>` and collects its stdout lines. */
function run(name: string, args: string[] = [], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [`${examples}${name}`, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  const waiters: Array<() => void> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  const line = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const found = lines.find((l) => pattern.test(l));
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, line, exited };
}

it('server.js: the README server echoes to faye-websocket’s own Client', async () => {
  const server = run('server.js', [], { PORT: '0' });
  const port = Number((await server.line(/^listening \d+/)).split(' ')[1]);
  const client = new TheirFaye.Client(`ws://127.0.0.1:${port}/`, ['echo']);
  await new Promise((resolve) => client.once('open', resolve));
  expect(client.protocol).toBe('echo');
  const reply = new Promise<{ data: string }>((resolve) => client.once('message', resolve));
  client.send('echo me');
  expect((await reply).data).toBe('echo me');
  client.close();
  expect(await server.line(/^close /)).toBe('close 1000 ');
});

it('client.js: the README client talks to faye-websocket’s own server', async () => {
  const server = http.createServer();
  const sockets = new Set<Duplex>();
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, body: Buffer) => {
    sockets.add(socket);
    const ws = new TheirFaye(request, socket, body, ['echo']);
    ws.on('message', (event: { data: string }) => ws.send(`echo: ${event.data}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address() as { port: number };
  const client = run('client.js', [`ws://127.0.0.1:${address.port}/`]);
  expect(await client.exited).toBe(0);
  expect(client.lines).toEqual(['open echo', 'message echo: Hello, world!', 'close 1000 done']);
});

it('eventsource.js: the README EventSource server streams events an HTTP client reads', async () => {
  const server = run('eventsource.js', [], { PORT: '0', INTERVAL: '20' });
  const port = Number((await server.line(/^listening \d+/)).split(' ')[1]);
  const text = await new Promise<string>((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/events', headers: { Accept: 'text/event-stream', 'Last-Event-ID': '7' } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
        if (body.includes('id: 2\r\n')) {
          request.destroy();
          resolve(body);
        }
      });
    });
    request.on('error', reject);
  });
  expect(text.startsWith('retry: 10000\r\n\r\n')).toBe(true);
  expect(text).toContain('event: greeting\r\nid: 1\r\ndata: Hello\r\n\r\n');
  expect(await server.line(/^open /)).toBe(`open http://127.0.0.1:${port}/events 7`);
  const plain = await new Promise<string>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/' }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body));
    }).on('error', reject);
  });
  expect(plain).toBe('Hello');
});

it('stream-server.js: ws.pipe(ws), subprotocols, permessage-deflate and ping(message, callback) with faye-websocket’s Client', async () => {
  // The program requires permessage-deflate, a devDependency of the node adapter.
  const server = run('stream-server.js', [], { PORT: '0', NODE_PATH: fileURLToPath(new URL('../packages/node-adapter/node_modules', import.meta.url)) });
  const port = Number((await server.line(/^listening \d+/)).split(' ')[1]);
  const deflate = require('permessage-deflate') as unknown;
  const TheirClient = TheirFaye.Client as unknown as new (url: string, protocols: string[], options: object) => TheirSocket & { headers: Record<string, string> };
  const client = new TheirClient(`ws://127.0.0.1:${port}/`, ['amqp'], { extensions: [deflate] });
  await new Promise((resolve) => client.once('open', resolve));
  expect(client.protocol).toBe('amqp');
  expect(client.headers['sec-websocket-extensions']).toMatch(/^permessage-deflate/);
  const reply = new Promise<{ data: string }>((resolve) => client.once('message', resolve));
  client.send('piped back '.repeat(100));
  expect((await reply).data).toBe('piped back '.repeat(100));
  expect(await server.line(/^open /)).toBe('open amqp');
  // faye's Client answers the server's ping: its callback ran.
  expect(await server.line(/^pong /)).toBe('pong received');
  client.close();
  expect(await server.line(/^close /)).toBe('close 1000 ');
});

it('proxy-client.js: the README proxy client reaches faye-websocket’s server through a CONNECT proxy with credentials', async () => {
  const { startProxy } = await import('../packages/node-adapter/test/proxy-helpers.js');
  const proxy = await startProxy('username:password');
  cleanups.push(() => proxy.close());
  const server = http.createServer();
  const sockets = new Set<Duplex>();
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, body: Buffer) => {
    sockets.add(socket);
    const ws = new TheirFaye(request, socket, body);
    ws.on('message', (event: { data: string }) => ws.send(`echo: ${event.data}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  const client = run('proxy-client.js', [`ws://127.0.0.1:${port}/`, `http://username:password@127.0.0.1:${proxy.port}`]);
  expect(await client.exited).toBe(0);
  expect(client.lines).toEqual(['open', 'message echo: Hello, world!', 'close 1000 ']);
  expect(proxy.tunnels).toEqual([`127.0.0.1:${port}`]);
  expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('username:password').toString('base64')}`]);
});
