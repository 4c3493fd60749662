/**
 * `WebSocket.EventSource` of @sansock/node/faye, read by a plain HTTP client that parses the
 * `text/event-stream` it gets: events with names, ids and multi-line data, the retry field,
 * keep-alive comments, Last-Event-ID and close on both ends; and byte for byte the same stream
 * as faye-websocket's EventSource writes for the same program.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import OurFaye from '@sansock/node/faye';
import { portOf } from './helpers.js';

const require = createRequire(import.meta.url);

interface EventSourceLike extends NodeJS.EventEmitter {
  readonly url: string;
  readonly lastEventId: string;
  readonly readyState: number;
  send(data: string, options?: { event?: string; id?: string | number }): boolean;
  ping(): boolean;
  close(): boolean;
}
interface EventSourceClass {
  new (request: http.IncomingMessage, response: http.ServerResponse, options?: object): EventSourceLike;
  isEventSource(request: http.IncomingMessage): boolean;
}
const Ours = OurFaye.EventSource as unknown as EventSourceClass;
const Theirs = (require('faye-websocket') as { EventSource: EventSourceClass }).EventSource;

/** One parsed event-stream block: its fields, or a comment. */
interface Block {
  comment?: string;
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
}

/** A minimal text/event-stream parser (WHATWG HTML §9.2.6): blocks separated by blank lines. */
function parseEventStream(text: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    if (raw === '') continue;
    const block: Block = {};
    for (const line of raw.split(/\r\n|\n|\r/)) {
      if (line.startsWith(':')) {
        block.comment = line.slice(1);
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') block.data = block.data === undefined ? value : `${block.data}\n${value}`;
      else if (field === 'event' || field === 'id' || field === 'retry') block[field] = value;
    }
    blocks.push(block);
  }
  return blocks;
}

let server: http.Server | undefined;
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
});

async function start(handler: (request: http.IncomingMessage, response: http.ServerResponse) => void): Promise<number> {
  server = http.createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return portOf(server);
}

/** GETs `path` as an EventSource would and reads until `until(text)` or the end. */
function read(port: number, path: string, headers: Record<string, string>, until: (text: string) => boolean) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; request: http.ClientRequest }>((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      let text = '';
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, request });
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (until(text)) finish();
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    request.on('error', reject);
  });
}

describe('faye EventSource', () => {
  it('writes events with names, ids, multi-line data, retry and ping comments an event-stream client reads', async () => {
    const seenOnServer: { url?: string; lastEventId?: string; opened?: boolean; closed?: Promise<void> } = {};
    const port = await start((request, response) => {
      if (!Ours.isEventSource(request)) {
        response.writeHead(404).end();
        return;
      }
      const es = new Ours(request, response, { headers: { 'X-Stream': 'yes' }, retry: 2.5, ping: 0.05 });
      seenOnServer.url = es.url;
      seenOnServer.lastEventId = es.lastEventId;
      seenOnServer.closed = new Promise((resolve) => es.on('close', () => resolve()));
      es.on('open', () => {
        seenOnServer.opened = true;
        es.send('plain');
        es.send('line one\nline two', { event: 'update', id: 42 });
        es.send('last', { id: 'end' });
      });
    });
    const result = await read(port, '/stream?x=1', { 'Last-Event-ID': '41' }, (text) => text.includes(':\r\n\r\n') && text.includes('data: last'));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('text/event-stream');
    expect(result.headers['cache-control']).toBe('no-cache, no-store');
    expect(result.headers['x-stream']).toBe('yes');
    const blocks = parseEventStream(result.text);
    expect(blocks[0]).toEqual({ retry: '2500' });
    const events = blocks.filter((block) => block.comment === undefined);
    expect(events.slice(1, 4)).toEqual([
      { data: 'plain' },
      { event: 'update', id: '42', data: 'line one\nline two' },
      { id: 'end', data: 'last' },
    ]);
    expect(blocks.some((block) => block.comment === '')).toBe(true);
    expect(seenOnServer.opened).toBe(true);
    expect(seenOnServer.url).toBe(`http://127.0.0.1:${port}/stream?x=1`);
    expect(seenOnServer.lastEventId).toBe('41');
    // The client goes away: the server side closes.
    result.request.destroy();
    await seenOnServer.closed;
  });

  it('close() on the server ends the stream; send after close returns false', async () => {
    let sendAfterClose: boolean | undefined;
    const port = await start((request, response) => {
      const es = new Ours(request, response);
      es.on('open', () => {
        es.send('bye');
        es.close();
        sendAfterClose = es.send('too late');
        expect(es.readyState).toBe(3);
      });
    });
    const result = await read(port, '/', {}, () => false);
    expect(parseEventStream(result.text).slice(1)).toEqual([{ data: 'bye' }]);
    expect(sendAfterClose).toBe(false);
  });

  it('isEventSource: a GET whose Accept lists text/event-stream', () => {
    const request = (method: string, accept?: string): http.IncomingMessage =>
      ({ method, headers: accept === undefined ? {} : { accept } }) as http.IncomingMessage;
    expect(Ours.isEventSource(request('GET', 'text/html, text/event-stream'))).toBe(true);
    expect(Ours.isEventSource(request('POST', 'text/event-stream'))).toBe(false);
    expect(Ours.isEventSource(request('GET'))).toBe(false);
  });

  it('writes the same bytes as faye-websocket’s EventSource for the same program', async () => {
    const program = (EventSource: EventSourceClass) => (request: http.IncomingMessage, response: http.ServerResponse) => {
      const es = new EventSource(request, response, { headers: { 'X-A': '1' }, retry: 3, ping: 3600 });
      es.on('open', () => {
        es.send('a\r\nb', { event: 'e', id: 1 });
        es.ping();
        es.send('c');
        es.close();
      });
    };
    const rawBytes = async (EventSource: EventSourceClass): Promise<string> => {
      const port = await start(program(EventSource));
      const text = await new Promise<string>((resolve, reject) => {
        // A raw socket, so the status line and headers are compared too.
        const socket = require('node:net').connect(port, '127.0.0.1') as net.Socket;
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
        socket.write('GET /s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
      });
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
      return text;
    };
    const ours = await rawBytes(Ours);
    const theirs = await rawBytes(Theirs);
    expect(ours).toBe(theirs);
    expect(ours).toContain('event: e\r\nid: 1\r\ndata: a\r\ndata: b\r\n\r\n:\r\n\r\ndata: c\r\n\r\n');
  });
});
