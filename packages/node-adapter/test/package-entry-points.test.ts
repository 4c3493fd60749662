/**
 * The published entry points, as a user gets them: `node` resolving `@sansock/node` through
 * package.json `exports` to the built dist (the root `pnpm test` builds before vitest runs;
 * this file builds nothing). `require` returns the WebSocket class itself, like `require('ws')`,
 * `import` gives the default export and the named ones, both carry a real echo round trip, and a
 * TypeScript CommonJS consumer (`moduleResolution: node16`, `skipLibCheck: false`) compiles
 * against the hand-written index.d.cts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(packageDir, '../..');
const dist = path.join(packageDir, 'dist');

/** Runs a script with `node` from the repository root (where node_modules/@sansock/node is linked); resolves with its stdout. */
function runNode(args: string[], cwd = repoRoot): Promise<string> {
  return new Promise((resolve, reject) => {
    // Generous: tsc alone takes ~14 s here, and much longer while other suites share the 2 cores.
    execFile(process.execPath, args, { cwd, timeout: 150_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const lastJsonLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');

/**
 * An echo round trip with whichever `WebSocket` the script loaded: a server, a client, text and
 * binary echoed, a close with code and reason; prints what both sides saw as JSON.
 */
const ECHO_ROUND_TRIP = `
const seen = { messages: [] };
let closes = 0;
const closed = () => {
  if (++closes === 2) wss.close(() => console.log(JSON.stringify(seen)));
};
const wss = new WebSocket.WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (peer) => {
  peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary }));
  peer.on('close', (code, reason) => {
    seen.serverClose = [code, reason.toString()];
    closed();
  });
});
wss.on('listening', () => {
  const ws = new WebSocket('ws://127.0.0.1:' + wss.address().port);
  ws.on('open', () => {
    ws.send('héllo from ' + flavour);
    ws.send(Buffer.from([0, 1, 2, 255]));
  });
  ws.on('message', (data, isBinary) => {
    seen.messages.push([data.toString(isBinary ? 'hex' : 'utf8'), isBinary]);
    if (seen.messages.length === 2) ws.close(4001, 'bye ' + flavour);
  });
  ws.on('close', (code, reason) => {
    seen.clientClose = [code, reason.toString()];
    seen.clientIsInstance = ws instanceof WebSocket;
    closed();
  });
});
`;

const expectedRoundTrip = (flavour: string) => ({
  messages: [
    [`héllo from ${flavour}`, false],
    ['000102ff', true],
  ],
  serverClose: [4001, `bye ${flavour}`],
  clientClose: [4001, `bye ${flavour}`],
  clientIsInstance: true,
});

describe('the built package, through package.json exports', () => {
  it('has been built (the root `pnpm test` runs `pnpm build` first)', () => {
    for (const file of ['index.js', 'index.d.ts', 'index.cjs', 'index.d.cts']) {
      expect(existsSync(path.join(dist, file)), `dist/${file} is missing: run \`pnpm build\``).toBe(true);
    }
  });

  it("require('@sansock/node') is the WebSocket class, with ws's statics and every named export on it", async () => {
    const stdout = await runNode([
      '-e',
      `
      const WebSocket = require('@sansock/node');
      console.log(JSON.stringify({
        resolved: require.resolve('@sansock/node'),
        type: typeof WebSocket,
        name: WebSocket.name,
        self: WebSocket.WebSocket === WebSocket && WebSocket.default === WebSocket,
        server: typeof WebSocket.WebSocketServer === 'function' && WebSocket.Server === WebSocket.WebSocketServer,
        stream: typeof WebSocket.createWebSocketStream,
        events: [WebSocket.Event, WebSocket.CloseEvent, WebSocket.ErrorEvent, WebSocket.MessageEvent].map((c) => c.name),
        states: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED],
        keys: Object.keys(WebSocket).sort(),
        esModule: '__esModule' in WebSocket,
      }));
      `,
    ]);
    expect(lastJsonLine(stdout)).toEqual({
      resolved: path.join(dist, 'index.cjs'),
      type: 'function',
      name: 'WebSocket',
      self: true,
      server: true,
      stream: 'function',
      events: ['Event', 'CloseEvent', 'ErrorEvent', 'MessageEvent'],
      states: [0, 1, 2, 3],
      keys: [
        'CLOSED',
        'CLOSE_TIMEOUT',
        'CLOSING',
        'CONNECTING',
        'CloseEvent',
        'ErrorEvent',
        'Event',
        'MessageEvent',
        'OPEN',
        'SERVER_CONNECTIONS_CHECKING_INTERVAL',
        'SERVER_HEADERS_TIMEOUT',
        'SERVER_REQUEST_TIMEOUT',
        'Server',
        'WebSocket',
        'WebSocketServer',
        'createWebSocketStream',
        'default',
        'nodeAccelerators',
      ],
      // Not marked as a transpiled ES module: `import WebSocket from` (esModuleInterop) gets the class.
      esModule: false,
    });
  });

  it('echoes through the CommonJS entry', async () => {
    const stdout = await runNode(['-e', `const WebSocket = require('@sansock/node'); const flavour = 'cjs';\n${ECHO_ROUND_TRIP}`]);
    expect(lastJsonLine(stdout)).toEqual(expectedRoundTrip('cjs'));
  });

  it('import gives the class as default export and the named exports, and echoes', async () => {
    const stdout = await runNode([
      '--input-type=module',
      '-e',
      `
      import WebSocket, * as sansock from '@sansock/node';
      const flavour = 'esm';
      console.log(JSON.stringify({
        resolved: import.meta.resolve('@sansock/node'),
        type: typeof WebSocket,
        named: sansock.WebSocket === WebSocket && sansock.WebSocketServer === WebSocket.WebSocketServer && WebSocket.Server === sansock.WebSocketServer,
        stream: sansock.createWebSocketStream === WebSocket.createWebSocketStream,
      }));
      ${ECHO_ROUND_TRIP}
      `,
    ]);
    const [entry, roundTrip] = stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(entry).toEqual({ resolved: new URL(`file://${path.join(dist, 'index.js')}`).href, type: 'function', named: true, stream: true });
    expect(roundTrip).toEqual(expectedRoundTrip('esm'));
  });

  it('a TypeScript CommonJS consumer (node16 resolution, no skipLibCheck) compiles against index.d.cts', { timeout: 160_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sansock-cjs-consumer-'));
    try {
      await mkdir(path.join(dir, 'node_modules/@sansock'), { recursive: true });
      await symlink(packageDir, path.join(dir, 'node_modules/@sansock/node'), 'dir');
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
      await writeFile(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'node16',
            moduleResolution: 'node16',
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            esModuleInterop: true,
            types: ['node'],
            typeRoots: [path.join(repoRoot, 'node_modules/@types')],
          },
          files: ['consumer.ts', 'default-import.ts', 'module.mts'],
        }),
      );
      await writeFile(
        path.join(dir, 'consumer.ts'),
        `
        import WebSocket = require('@sansock/node');
        const wss = new WebSocket.WebSocketServer({ port: 0, perMessageDeflate: { threshold: 0 } });
        const legacy: WebSocket.WebSocketServer = new WebSocket.Server({ noServer: true });
        wss.on('connection', (socket: WebSocket, request) => {
          socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => socket.send(data, { binary: isBinary }));
          const url: string | undefined = request.url;
          void url;
        });
        const options: WebSocket.ClientOptions = { handshakeTimeout: 1000, perMessageDeflate: true };
        const client: WebSocket = new WebSocket('ws://127.0.0.1:1', options);
        const same: typeof WebSocket = WebSocket.default;
        const inner: WebSocket.WebSocket = new WebSocket.WebSocket('ws://127.0.0.1:1');
        const event: WebSocket.CloseEvent = new WebSocket.CloseEvent('close', { code: 1000 });
        const states: number = WebSocket.OPEN + client.CLOSED + WebSocket.CLOSE_TIMEOUT;
        const duplex = WebSocket.createWebSocketStream(client);
        void [legacy, same, inner, event, states, duplex];
        // @ts-expect-error a close code is a number
        client.close('normal');
        `,
      );
      await writeFile(
        path.join(dir, 'default-import.ts'),
        `
        import WebSocket from '@sansock/node';
        const { WebSocketServer } = WebSocket;
        const server = new WebSocketServer({ noServer: true });
        server.on('connection', (ws: WebSocket) => ws.close(1000, 'bye'));
        `,
      );
      await writeFile(
        path.join(dir, 'module.mts'),
        `
        import WebSocket, { WebSocketServer, type RawData } from '@sansock/node';
        const wss = new WebSocketServer({ port: 0 });
        wss.on('connection', (ws: WebSocket) => ws.on('message', (data: RawData) => ws.send(data)));
        `,
      );
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      await expect(runNode([tsc, '-p', dir], dir)).resolves.toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
