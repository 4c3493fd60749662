/** Shared test helpers: waiting for events, and a Deno.serve echo server with the built-in upgrade. */
import { WebSocket, type WebSocketOptions } from '../src/index.ts';

/** Resolves with the next event of `type` on `target`. */
export function next<E extends Event = Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event as E), { once: true }));
}

export interface DenoServer {
  readonly port: number;
  /** Server-side sockets, for assertions. */
  readonly sockets: globalThis.WebSocket[];
  close(): Promise<void>;
}

/**
 * Deno.serve + Deno.upgradeWebSocket, echoing every message (`onSocket` may replace that).
 * close() waits for the server to shut down (its sockets included).
 */
export function denoServe(onSocket?: (socket: globalThis.WebSocket, headers: Headers) => void, protocol?: string): DenoServer {
  const sockets: globalThis.WebSocket[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (request) => {
    // The request's headers are gone once it is upgraded: copied first.
    const headers = new Headers(request.headers);
    const { socket, response } = Deno.upgradeWebSocket(request, protocol ? { protocol } : {});
    sockets.push(socket);
    if (onSocket) onSocket(socket, headers);
    else socket.onmessage = (event) => socket.send(event.data);
    return response;
  });
  return {
    port: server.addr.port,
    sockets,
    close: async () => {
      await server.shutdown();
    },
  };
}

/** Opens our client and waits for 'open'. */
export async function openClient(url: string, options?: WebSocketOptions, protocols?: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols ?? [], options);
  const opened = await Promise.race([next(ws, 'open'), next(ws, 'close')]);
  if (opened.type !== 'open') throw new Error(`the client did not open (${(opened as CloseEvent).code})`);
  return ws;
}

/** Closes and waits for the close event. */
export async function closeAndWait(ws: { close(code?: number, reason?: string): void; readyState: number } & EventTarget, code?: number, reason?: string): Promise<CloseEvent> {
  if (ws.readyState === 3) throw new Error('already closed');
  const closed = next<CloseEvent>(ws, 'close');
  ws.close(code, reason);
  return await closed;
}

/** Deterministic bytes (no crypto needed). */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
