/**
 * The built @sansock/node/websocket-node entry, as a user gets it through package.json
 * `exports` (the root `pnpm test` builds before vitest runs; this file builds nothing):
 * `require` returns WebSocket-Node's module object with exactly its keys, `import` gives the same
 * as default and named exports, and TypeScript consumers (CommonJS with node16 resolution and no
 * skipLibCheck, and an ES module) compile against the typings.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT, compileConsumer, packageDir, runNode } from './built-package.js';

const KEYS = ['server', 'client', 'router', 'frame', 'request', 'connection', 'w3cwebsocket', 'deprecation', 'version'];

describe('@sansock/node/websocket-node, built', () => {
  it('has been built (the root `pnpm test` runs `pnpm build` first)', () => {
    expect(existsSync(path.join(packageDir, 'dist/websocket-node.cjs'))).toBe(true);
    expect(existsSync(path.join(packageDir, 'dist/websocket-node.d.cts'))).toBe(true);
  });

  it("require() gives WebSocket-Node's module shape, and the same keys as the real package", async () => {
    const real = createRequire(path.join(packageDir, 'package.json'))('websocket') as Record<string, unknown>;
    const stdout = await runNode([
      '-e',
      `const w = require('@sansock/node/websocket-node');
       console.log(JSON.stringify({ keys: Object.keys(w), version: w.version,
         normal: w.connection.CLOSE_REASON_NORMAL, tooBig: w.connection.CLOSE_REASON_MESSAGE_TOO_BIG,
         types: Object.keys(w).map((k) => typeof w[k]) }));`,
    ]);
    const seen = JSON.parse(stdout) as { keys: string[]; version: string; normal: number; tooBig: number; types: string[] };
    expect(seen.keys).toEqual(KEYS);
    expect(seen.keys).toEqual(Object.keys(real));
    expect(seen.version).toBe(real.version);
    expect([seen.normal, seen.tooBig]).toEqual([1000, 1009]);
    expect(seen.types).toEqual(KEYS.map((key) => typeof real[key]));
  });

  it('import gives the module object as default and each part by name', async () => {
    const stdout = await runNode([
      '--input-type=module',
      '-e',
      `import websocket, { server, client, w3cwebsocket, version } from '@sansock/node/websocket-node';
       console.log(JSON.stringify({ keys: Object.keys(websocket), same: websocket.server === server && websocket.client === client
         && websocket.w3cwebsocket === w3cwebsocket, version }));`,
    ]);
    expect(JSON.parse(stdout)).toEqual({ keys: KEYS, same: true, version: '1.0.35' });
  });

  it('TypeScript consumers (CommonJS node16 without skipLibCheck, and ESM) compile', { timeout: CHILD_TIMEOUT + 10_000 }, async () => {
    const output = await compileConsumer(
      {
        'consumer.ts': `
        import websocket = require('@sansock/node/websocket-node');
        import http = require('node:http');
        const wsServer = new websocket.server({ httpServer: http.createServer(), keepalive: false });
        wsServer.on('request', (request: websocket.request) => {
          const connection: websocket.connection = request.accept('echo', request.origin);
          connection.on('message', (message: websocket.Message) => {
            if (message.type === 'utf8') connection.sendUTF(message.utf8Data);
            else connection.sendBytes(message.binaryData);
          });
        });
        const code: number = websocket.connection.CLOSE_REASON_NORMAL;
        const client: websocket.client = new websocket.client({ maxReceivedMessageSize: 1 << 20 });
        client.on('connect', (connection: websocket.connection) => connection.close(code, 'bye'));
        const version: string = websocket.version;
        void version;
        `,
        'named.ts': `
        import { server, router, frame, w3cwebsocket, type IMessageEvent } from '@sansock/node/websocket-node';
        const r: router = new router();
        const f: frame = new frame();
        f.opcode = 1;
        const socket = new w3cwebsocket('ws://127.0.0.1:1/');
        socket.onmessage = (event: IMessageEvent) => void event.data;
        void [r, server];
        `,
        'module.mts': `
        import websocket, { server, type connection } from '@sansock/node/websocket-node';
        const s: typeof server = websocket.server;
        const handler = (connection: connection) => connection.drop();
        void [s, handler];
        `,
      }, { linkCore: true },
    );
    expect(output).toBe('');
  });
});
