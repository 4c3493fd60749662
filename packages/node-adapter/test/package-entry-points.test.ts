/**
 * The published entry points, as a user gets them: `node` resolving `@sansock/node` through
 * package.json `exports` to the built dist (the root `pnpm test` builds before vitest runs;
 * this file builds nothing). `require` returns the WebSocket class itself, like `require('ws')`,
 * `import` gives the default export and the named ones, both carry a real echo round trip, and a
 * TypeScript CommonJS consumer (`moduleResolution: node16`, `skipLibCheck: false`) compiles
 * against the hand-written index.d.cts. Both entries are one copy of the library (the ES module
 * entry wraps the CommonJS build), so objects cross between `import` and `require` code.
 * (test/types compiles programs written for @types/ws under nodenext, bundler and node10.)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT, compileConsumer, dist, lastJsonLine, packageDir, runNode } from './built-package.js';

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
        'ConnectProtocolUnsupportedError',
        'ErrorEvent',
        'Event',
        'MessageEvent',
        'OPEN',
        'SERVER_CONNECTIONS_CHECKING_INTERVAL',
        'SERVER_HEADERS_TIMEOUT',
        'SERVER_REQUEST_TIMEOUT',
        'Server',
        'WebSocket',
        'WebSocketError',
        'WebSocketServer',
        'WebSocketStream',
        'createWebSocketStream',
        'default',
        'isHttp2Request',
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

  it('one copy of the library whichever way it is loaded: require() and import share every object, and @sansock/core once', async () => {
    const stdout = await runNode([
      '--input-type=module',
      '-e',
      `
      import { createRequire } from 'node:module';
      import WebSocketEsm, * as esm from '@sansock/node';
      import * as coreEsm from '@sansock/core';
      import * as driverEsm from '@sansock/core/driver';
      const require = createRequire(process.cwd() + '/');
      const coreCjs = require('@sansock/core');
      const WebSocketCjs = require('@sansock/node');
      const named = Object.keys(esm).filter((key) => key !== 'default').sort();
      const dist = (file) => file.includes('/packages/') ? file.slice(file.indexOf('/packages/') + 1).replace(/chunk-[^.]+/, 'chunk') : file;
      console.log(JSON.stringify({
        same: WebSocketCjs === WebSocketEsm,
        // Every named export of the ES module entry is the static of the same name.
        namedAreStatics: named.every((key) => esm[key] === (key === 'nodeAccelerators' ? WebSocketCjs.nodeAccelerators : WebSocketCjs[key])),
        named,
        // A static of the CommonJS entry the ES module wrapper forgot to re-export (its list is hand-written).
        notReexported: Object.keys(WebSocketCjs).filter((key) => !['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED', 'Server', 'default'].includes(key) && !(key in esm)),
        // CommonJS modules in require's cache: the library and the core, each once (the ES module
        // entries are wrappers; Bun's require.cache lists those wrappers too, Node's does not).
        loaded: [...new Set(Object.keys(require.cache).filter((file) => file.includes('/dist/') && file.endsWith('.cjs')).map(dist))].sort(),
        // Node's import of the core is its CommonJS build too: errors the adapter emits are the
        // ProtocolError an ES module imports, and both core entries share NEED_DATA & co.
        core: coreEsm.ProtocolError === coreCjs.ProtocolError && coreEsm.NEED_DATA === coreCjs.NEED_DATA
          && Object.keys(coreEsm).every((key) => coreEsm[key] === coreCjs[key])
          && driverEsm.Driver === require('@sansock/core/driver').Driver,
        corePackage: require('@sansock/core/package.json').name,
        packageVersion: require('@sansock/node/package.json').version === JSON.parse(require('node:fs').readFileSync(${JSON.stringify(path.join(packageDir, 'package.json'))}, 'utf8')).version,
      }));
      `,
    ]);
    expect(lastJsonLine(stdout)).toEqual({
      same: true,
      namedAreStatics: true,
      named: [
        'CLOSE_TIMEOUT',
        'CloseEvent',
        'ConnectProtocolUnsupportedError',
        'ErrorEvent',
        'Event',
        'MessageEvent',
        'SERVER_CONNECTIONS_CHECKING_INTERVAL',
        'SERVER_HEADERS_TIMEOUT',
        'SERVER_REQUEST_TIMEOUT',
        'WebSocket',
        'WebSocketError',
        'WebSocketServer',
        'WebSocketStream',
        'createWebSocketStream',
        'isHttp2Request',
        'nodeAccelerators',
      ],
      notReexported: [],
      loaded: ['packages/core/dist/chunk.cjs', 'packages/core/dist/driver.cjs', 'packages/core/dist/frames.cjs', 'packages/core/dist/index.cjs', 'packages/node-adapter/dist/index.cjs'],
      core: true,
      corePackage: '@sansock/core',
      packageVersion: true,
    });
  });

  it('a WebSocket subclass from ES module code serves as the `WebSocket` option of a server made by CommonJS code', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sansock-mixed-'));
    try {
      await mkdir(path.join(dir, 'node_modules/@sansock'), { recursive: true });
      await symlink(packageDir, path.join(dir, 'node_modules/@sansock/node'), 'dir');
      // CommonJS code (a framework, say) that makes the server with whatever class it is given.
      await writeFile(
        path.join(dir, 'make-server.cjs'),
        `
        const WebSocket = require('@sansock/node');
        module.exports = (WebSocketClass, onListening) => {
          const wss = new WebSocket.WebSocketServer({ host: '127.0.0.1', port: 0, WebSocket: WebSocketClass }, onListening);
          // What the CommonJS side sees: a WebSocket of its own.
          wss.on('connection', (ws) => (ws.seenByCjs = ws instanceof WebSocket));
          return wss;
        };
        `,
      );
      await writeFile(
        path.join(dir, 'app.mjs'),
        `
        import WebSocket from '@sansock/node';
        import { createRequire } from 'node:module';
        const makeServer = createRequire(import.meta.url)('./make-server.cjs');
        class Tagged extends WebSocket {
          tag() { return 'tagged'; }
        }
        const wss = makeServer(Tagged, () => {
          const client = new WebSocket('ws://127.0.0.1:' + wss.address().port);
          client.on('message', (data) => {
            client.close();
            wss.close(() => console.log(JSON.stringify({ reply: data.toString() })));
          });
        });
        wss.on('connection', (ws) => {
          ws.send(JSON.stringify([ws instanceof Tagged, ws instanceof WebSocket, ws.seenByCjs, ws.tag()]));
        });
        `,
      );
      const stdout = await runNode([path.join(dir, 'app.mjs')], dir);
      expect(lastJsonLine(stdout)).toEqual({ reply: JSON.stringify([true, true, true, 'tagged']) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a TypeScript CommonJS consumer (node16 resolution, no skipLibCheck) compiles against index.d.cts', async () => {
    const output = await compileConsumer(
      {
        'consumer.ts': `
        import WebSocket = require('@sansock/node');
        const wss = new WebSocket.WebSocketServer({ port: 0, perMessageDeflate: { threshold: 0 } });
        const legacy: WebSocket.WebSocketServer = new WebSocket.Server({ noServer: true });
        wss.on('connection', (socket: WebSocket, request) => {
          socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => socket.send(data, { binary: isBinary }));
          const url: string | undefined = request.url;
          void url;
        });
        const options: WebSocket.ClientOptions = { handshakeTimeout: 1000, perMessageDeflate: true };
        const proxy: WebSocket.ProxyOption = { url: 'http://proxy.test:3128', headers: { 'x-a': 'b' } };
        const viaProxy: WebSocket.ClientOptions = { proxy, ca: 'pem' };
        const viaEnv: WebSocket.ClientOptions = { proxy: 'env' };
        void [viaProxy, viaEnv];
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
        'default-import.ts': `
        import WebSocket from '@sansock/node';
        const { WebSocketServer } = WebSocket;
        const server = new WebSocketServer({ noServer: true });
        server.on('connection', (ws: WebSocket) => ws.close(1000, 'bye'));
        `,
        'module.mts': `
        import WebSocket, { WebSocketServer, type RawData } from '@sansock/node';
        const wss = new WebSocketServer({ port: 0 });
        wss.on('connection', (ws: WebSocket) => ws.on('message', (data: RawData) => ws.send(data)));
        `,
      }, { esModuleInterop: true },
    );
    expect(output).toBe('');
  }, CHILD_TIMEOUT + 10_000);
});
