/**
 * `ws` fidelity of the WHATWG emulation: the same sequence of `on<event>` attributes,
 * `addEventListener`/`removeEventListener`, `once`, `removeAllListeners` and emitted events is
 * run on a `ws` WebSocket and on ours, and what each observes (handler identity, listener
 * counts, calls, event fields) must be the same. Also `binaryType = 'blob'`, and a change of
 * `binaryType` applying to the next message, over a real connection with a `ws` server.
 */
import { describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket from '@sansock/node';
import { closeServer, next, portOf } from './helpers.js';

type Target = NodeJS.EventEmitter & {
  onmessage: unknown;
  onopen: unknown;
  onclose: unknown;
  onerror: unknown;
  addEventListener(type: string, listener: unknown, options?: { once?: boolean }): void;
  removeEventListener(type: string, listener: unknown): void;
};

/** Runs one scenario and returns a transcript of what it observed. */
function transcript(make: () => Target): unknown[] {
  const ws = make();
  const log: unknown[] = [];
  const seen = (name: string) =>
    function (this: unknown, event: { type: string; data?: unknown; code?: number; reason?: string; wasClean?: boolean; message?: string; target?: unknown }) {
      log.push([name, event.type, event.data instanceof Buffer ? `buffer ${String(event.data)}` : event.data, event.code, event.reason, event.wasClean, event.message, event.target === ws, this === ws]);
    };
  const a = seen('a');
  const b = seen('b');
  const handlerObject = { handleEvent: seen('object') };
  ws.onmessage = a;
  log.push(['onmessage is a', ws.onmessage === a, ws.listenerCount('message')]);
  ws.addEventListener('message', a);
  ws.addEventListener('message', a); // a duplicate is ignored
  ws.addEventListener('message', b, { once: true });
  ws.addEventListener('message', handlerObject);
  log.push(['after adds', ws.listenerCount('message'), ws.listeners('message').includes(a)]);
  ws.emit('message', Buffer.from('text'), false);
  ws.emit('message', Buffer.from('bin'), true);
  log.push(['after once', ws.listenerCount('message')]);
  ws.removeEventListener('message', a); // the attribute handler stays
  log.push(['onmessage kept', ws.onmessage === a, ws.listenerCount('message')]);
  ws.onmessage = 'not a function';
  log.push(['cleared', ws.onmessage, ws.listenerCount('message')]);
  ws.onclose = seen('close');
  ws.onerror = seen('error');
  ws.addEventListener('open', seen('open'));
  ws.emit('open');
  ws.emit('error', new Error('boom'));
  ws.emit('close', 4000, Buffer.from('why'));
  ws.removeAllListeners('close');
  log.push(['after removeAllListeners', ws.onclose, ws.listenerCount('close'), ws.onerror !== null]);
  ws.addEventListener('nope', a);
  log.push(['unknown type', ws.listenerCount('nope')]);
  return log;
}

describe('WHATWG emulation, as ws', () => {
  it('attributes, addEventListener/removeEventListener, once, listeners and events behave as in ws', () => {
    const theirs = transcript(() => new (wsPackage.WebSocket as unknown as new (a: null, b: undefined, c: object) => Target)(null, undefined, {}));
    const ours = transcript(() => new WebSocket(null) as unknown as Target);
    expect(ours).toEqual(theirs);
  });

  it("binaryType 'blob' delivers Blobs, and a change of binaryType applies to the next message", async () => {
    const wss = new wsPackage.WebSocketServer({ port: 0, host: '127.0.0.1' });
    await next(wss, 'listening');
    wss.on('connection', (peer) => peer.on('message', (data, binary) => peer.send(data, { binary })));
    try {
      const client = new WebSocket(`ws://127.0.0.1:${portOf(wss as never)}`);
      await next(client, 'open');
      const kinds: string[] = [];
      for (const type of ['blob', 'arraybuffer', 'nodebuffer', 'fragments', 'blob'] as const) {
        client.binaryType = type;
        const got = new Promise<unknown>((resolve) => {
          client.onmessage = (event) => resolve(event.data);
        });
        client.send(Buffer.from(type));
        const data = await got;
        if (data instanceof Blob) kinds.push(`Blob ${Buffer.from(await data.arrayBuffer()).toString()}`);
        else if (data instanceof ArrayBuffer) kinds.push(`ArrayBuffer ${Buffer.from(data).toString()}`);
        else if (Array.isArray(data)) kinds.push(`fragments ${Buffer.concat(data as Buffer[]).toString()}`);
        else kinds.push(`Buffer ${String(data)}`);
      }
      expect(kinds).toEqual(['Blob blob', 'ArrayBuffer arraybuffer', 'Buffer nodebuffer', 'fragments fragments', 'Blob blob']);
      client.binaryType = 'bogus' as never;
      expect(client.binaryType).toBe('blob');
      client.close();
      await next(client, 'close');
    } finally {
      await closeServer(wss as never);
    }
  });
});
