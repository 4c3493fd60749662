/**
 * `@sansock/node/faye` as a user gets it: `node` resolving it through package.json `exports` to
 * the built dist (the root `pnpm test` builds first). `require` returns faye's WebSocket class
 * with its statics, `import` gives the same class as the default export, each with an echo round
 * trip, and a TypeScript CommonJS consumer compiles against dist/faye.d.cts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT, compileConsumer, dist, runNode } from './built-package.js';

/** A server and a Client of whichever faye `WebSocket` the script loaded: echo, then close; prints JSON. */
const ROUND_TRIP = `
const http = require('node:http');
const server = http.createServer();
server.on('upgrade', (request, socket, body) => {
  if (!WebSocket.isWebSocket(request)) return socket.destroy();
  const ws = new WebSocket(request, socket, body);
  ws.onmessage = (event) => ws.send(event.data);
});
server.listen(0, '127.0.0.1', () => {
  const client = new WebSocket.Client('ws://127.0.0.1:' + server.address().port + '/');
  const seen = [];
  client.on('open', () => { client.send('text'); client.send(Buffer.from('bytes')); });
  client.on('message', (event) => {
    seen.push([typeof event.data === 'string' ? 'string' : 'buffer', String(event.data)]);
    if (seen.length === 2) client.close(1000, 'done');
  });
  client.on('close', (event) => {
    console.log(JSON.stringify({ seen, code: event.code, reason: event.reason }));
    server.close();
  });
});
`;
const EXPECTED = { seen: [['string', 'text'], ['buffer', 'bytes']], code: 1000, reason: 'done' };

beforeAll(() => {
  for (const file of ['faye.js', 'faye.cjs', 'faye.d.ts', 'faye.d.cts']) {
    expect(existsSync(path.join(dist, file)), `dist/${file} is missing: run \`pnpm build\``).toBe(true);
  }
});

describe('@sansock/node/faye entry points', () => {
  it('require() returns the WebSocket class with Client, EventSource, isWebSocket, validateOptions', async () => {
    const stdout = await runNode([
      '-e',
      `const WebSocket = require('@sansock/node/faye');
       console.log(JSON.stringify({
         resolved: require.resolve('@sansock/node/faye'),
         type: typeof WebSocket, client: typeof WebSocket.Client, eventSource: typeof WebSocket.EventSource,
         statics: typeof WebSocket.isWebSocket + typeof WebSocket.validateOptions,
         self: WebSocket.WebSocket === WebSocket && WebSocket.default === WebSocket,
       }));
       ${ROUND_TRIP}`,
    ]);
    const [entry, roundTrip] = stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(entry).toEqual({
      resolved: path.join(dist, 'faye.cjs'),
      type: 'function',
      client: 'function',
      eventSource: 'function',
      statics: 'functionfunction',
      self: true,
    });
    expect(roundTrip).toEqual(EXPECTED);
  });

  it('import gives the same class as the default export, and the named Client/EventSource', async () => {
    const stdout = await runNode([
      '--input-type=module',
      '-e',
      `import WebSocket, { Client, EventSource } from '@sansock/node/faye';
       import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       console.log(JSON.stringify({ client: Client === WebSocket.Client, eventSource: EventSource === WebSocket.EventSource }));
       ${ROUND_TRIP}`,
    ]);
    const [entry, roundTrip] = stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(entry).toEqual({ client: true, eventSource: true });
    expect(roundTrip).toEqual(EXPECTED);
  });

  it('a TypeScript CommonJS consumer (node16 resolution, no skipLibCheck) compiles against faye.d.cts', { timeout: CHILD_TIMEOUT + 10_000 }, async () => {
    const output = await compileConsumer(
      {
        'consumer.ts': `
        import WebSocket = require('@sansock/node/faye');
        import http = require('node:http');
        const server = http.createServer();
        server.on('upgrade', (request, socket, body: Buffer) => {
          if (!WebSocket.isWebSocket(request)) return;
          const ws = new WebSocket(request, socket, body, ['chat'], { ping: 10, maxLength: 1024 });
          ws.onmessage = (event) => ws.send(event.data);
          ws.on('close', (event: WebSocket.CloseEvent) => void event.code);
        });
        const options: WebSocket.FayeClientOptions = { headers: { Cookie: 'a=b' }, proxy: { origin: 'http://proxy:3128' } };
        const client: WebSocket.Client = new WebSocket.Client('ws://127.0.0.1:1/', [], options);
        client.ping('x', () => client.close(1000, 'bye'));
        const status: number | undefined = client.statusCode;
        void status;
        `,
        'module.mts': `
        import WebSocket, { EventSource } from '@sansock/node/faye';
        import http from 'node:http';
        http.createServer((request, response) => {
          if (EventSource.isEventSource(request)) new EventSource(request, response, { retry: 5 }).send('hi', { id: 1 });
          else if (WebSocket.isWebSocket(request)) response.end();
        });
        `,
      },
    );
    expect(output).toBe('');
  });
});
