/**
 * `serve()`: a listener of our own (Deno.listen / Deno.listenTls) whose every connection goes
 * through `upgrade`'s handshake. Non-WebSocket requests get the core's HTTP rejection; the
 * server keeps track of every Conn it accepted so `close()` leaves none behind.
 */
import { type DenoAddr, type DenoListener, deno } from './deno-api.js';
import { type UpgradeOptions, type UpgradeRequest, acceptConnection } from './server-upgrade.js';
import type { WebSocket } from './websocket.js';

export interface ServeOptions extends UpgradeOptions {
  /** Port to listen on; 0 picks a free one (see `addr.port`). */
  readonly port: number;
  /** Default "0.0.0.0". */
  readonly hostname?: string;
  /** PEM certificate and key: listen with TLS (wss:). */
  readonly cert?: string;
  readonly key?: string;
  /** A handshake failed or was refused (the client already got its HTTP answer). Default: ignored. */
  readonly onHandshakeError?: (error: Error) => void;
}

export interface WebSocketServer {
  /** Where the listener is bound (its `port` is the real one when 0 was asked for). */
  readonly addr: DenoAddr & { readonly hostname: string; readonly port: number };
  /**
   * Stops listening, abandons handshakes in progress and starts the closing handshake (1001,
   * going away) on every open socket. Resolves with `finished`.
   */
  close(): Promise<void>;
  /** Resolves once the listener is closed and every connection it accepted is closed too. */
  readonly finished: Promise<void>;
}

/**
 * Listens and calls `onSocket` for each accepted WebSocket. Reading starts right after
 * `onSocket` returns, so listeners attached in it see every message.
 */
export function serve(options: ServeOptions, onSocket: (socket: WebSocket, request: UpgradeRequest) => void): WebSocketServer {
  const listener: DenoListener =
    options.cert !== undefined && options.key !== undefined
      ? deno().listenTls({ hostname: options.hostname, port: options.port, cert: options.cert, key: options.key })
      : deno().listen({ hostname: options.hostname, port: options.port });
  const sockets = new Set<WebSocket>();
  /** Connections still in their handshake, with the way to abandon them. */
  const handshakes = new Set<{ close(): void }>();
  let closing = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  let acceptLoopDone = false;
  const checkFinished = (): void => {
    if (closing && acceptLoopDone && sockets.size === 0 && handshakes.size === 0) resolveFinished();
  };

  const handle = async (conn: Awaited<ReturnType<DenoListener['accept']>>): Promise<void> => {
    const entry = {
      close: () => {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      },
    };
    handshakes.add(entry);
    try {
      const { socket, request } = await acceptConnection(conn, undefined, options);
      if (closing) {
        socket.close(1001);
        sockets.add(socket);
        socket.addEventListener('close', () => {
          sockets.delete(socket);
          checkFinished();
        });
        socket.startReading();
        return;
      }
      sockets.add(socket);
      socket.addEventListener('close', () => {
        sockets.delete(socket);
        checkFinished();
      });
      try {
        onSocket(socket, request);
      } finally {
        socket.startReading();
      }
    } catch (error) {
      options.onHandshakeError?.(error instanceof Error ? error : new Error(String(error)));
    } finally {
      handshakes.delete(entry);
      checkFinished();
    }
  };

  const acceptLoop = async (): Promise<void> => {
    for (;;) {
      let conn;
      try {
        conn = await listener.accept();
      } catch {
        break; // the listener was closed
      }
      void handle(conn);
    }
    acceptLoopDone = true;
    checkFinished();
  };
  void acceptLoop();

  return {
    addr: listener.addr as WebSocketServer['addr'],
    finished,
    close(): Promise<void> {
      if (!closing) {
        closing = true;
        try {
          listener.close();
        } catch {
          // Already closed.
        }
        for (const handshake of handshakes) handshake.close();
        for (const socket of sockets) socket.close(1001);
        checkFinished();
      }
      return finished;
    },
  };
}
