/**
 * The server's opening handshake on a Deno.Conn the application accepted (RFC 6455 §4.2): the
 * core's ServerHandshake parses and validates the request and builds the 101 or the rejection;
 * this file reads the head under a timeout, asks the application (verifyClient,
 * handleProtocols), writes the answer, and closes the Conn on every path but success.
 */
import { HandshakeError, type HeaderInput, ServerHandshake, WebSocketError } from '@sansock/core';
import type { DenoAddr, DenoConn } from './deno-api.js';
import { type PerMessageDeflateOptions, extensionFactories } from './permessage-deflate.js';
import type { ConnectionOptions } from './session.js';
import { WebSocket } from './websocket.js';

/** What the application sees of the upgrade request. */
export interface UpgradeRequest {
  /** request-target: path and query. */
  readonly target: string;
  readonly headers: Headers;
  /** Offered subprotocols, in the client's order. */
  readonly protocols: readonly string[];
  /** Origin (Sec-WebSocket-Origin for version 8 clients). */
  readonly origin: string | undefined;
  readonly remoteAddr: DenoAddr;
}

/** Refuse a request: `false` (401), or a status with an optional body and headers. */
export type Verdict = boolean | { readonly status: number; readonly message?: string; readonly headers?: HeaderInput };

export interface UpgradeOptions extends ConnectionOptions {
  /** Accept permessage-deflate (RFC 7692) when offered. Default false, as `ws`. */
  readonly perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Picks the subprotocol among those offered; a falsy result picks none. Default: the first offered. */
  readonly handleProtocols?: (protocols: readonly string[], request: UpgradeRequest) => string | false | null | undefined;
  /** Decides whether to accept a valid request (authentication, origin checks...). */
  readonly verifyClient?: (request: UpgradeRequest) => Verdict | Promise<Verdict>;
  /** Extra headers for the 101 response. */
  readonly headers?: HeaderInput;
  /** Milliseconds the client has to send its whole request head (408 after). Default 10000. */
  readonly handshakeTimeout?: number;
  /** Largest request head in bytes. Default: the core's (16 KiB). */
  readonly maxHeadSize?: number;
  /** Most header fields in the request head. Default: the core's (100). */
  readonly maxHeaderCount?: number;
}

export const DEFAULT_SERVER_HANDSHAKE_TIMEOUT = 10_000;
const READ_SIZE = 16 * 1024;

async function writeAll(conn: DenoConn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length; ) written += await conn.write(bytes.subarray(written));
}

/** Writes a rejection and closes; a peer already gone is not an error here. */
async function reject(conn: DenoConn, response: Uint8Array): Promise<void> {
  try {
    await writeAll(conn, response);
  } catch {
    // The client left first.
  }
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

function toHeaders(pairs: ReadonlyArray<readonly [string, string]>): Headers {
  const headers = new Headers();
  for (const [name, value] of pairs) headers.append(name, value);
  return headers;
}

/**
 * Reads the upgrade request from `conn` (after `bytesAlreadyRead`, if the application read the
 * start itself) and answers it. Resolves with the open WebSocket; rejects with a HandshakeError
 * (or a WebSocketError with code WS_ERR_HANDSHAKE_TIMEOUT / WS_ERR_HANDSHAKE_CLOSED) once the
 * rejection is written and the Conn closed. Attach listeners as soon as it resolves: reading
 * starts on the next macrotask.
 */
export async function upgrade(conn: DenoConn, bytesAlreadyRead?: Uint8Array, options: UpgradeOptions = {}): Promise<WebSocket> {
  const accepted = await acceptConnection(conn, bytesAlreadyRead, options);
  setTimeout(() => accepted.socket.startReading(), 0);
  return accepted.socket;
}

/** The handshake; `serve()` starts reading itself, right after its callback. */
export async function acceptConnection(
  conn: DenoConn,
  bytesAlreadyRead: Uint8Array | undefined,
  options: UpgradeOptions,
): Promise<{ socket: WebSocket; request: UpgradeRequest }> {
  const handshake = new ServerHandshake({
    extensions: extensionFactories(options.perMessageDeflate, 'server'),
    maxHeadSize: options.maxHeadSize,
    maxHeaderCount: options.maxHeaderCount,
  });
  // A slow or half-sent head must not hold the Conn: closing it ends the pending read.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void reject(conn, handshake.reject(408));
  }, options.handshakeTimeout ?? DEFAULT_SERVER_HANDSHAKE_TIMEOUT);

  let outcome: ReturnType<ServerHandshake['receiveData']> = bytesAlreadyRead?.length ? handshake.receiveData(bytesAlreadyRead) : null;
  try {
    while (outcome === null) {
      const buffer = new Uint8Array(READ_SIZE);
      const count = await conn.read(buffer);
      if (count === null) throw new WebSocketError('The client closed the connection during the opening handshake', 'WS_ERR_HANDSHAKE_CLOSED');
      outcome = handshake.receiveData(buffer.subarray(0, count));
    }
  } catch (error) {
    clearTimeout(timer);
    if (timedOut) throw new WebSocketError('Opening handshake has timed out', 'WS_ERR_HANDSHAKE_TIMEOUT');
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    throw error;
  }
  clearTimeout(timer);
  if (outcome instanceof HandshakeError) {
    await reject(conn, handshake.reject(outcome.status ?? 400, { headers: outcome.headers }));
    throw outcome;
  }

  const { request: validated, head, rest } = outcome;
  const request: UpgradeRequest = {
    target: validated.target,
    headers: toHeaders(head.headers),
    protocols: validated.protocols,
    origin: validated.origin,
    remoteAddr: conn.remoteAddr,
  };
  try {
    if (options.verifyClient !== undefined) {
      const verdict = await options.verifyClient(request);
      if (verdict !== true) {
        const refusal = verdict === false ? { status: 401 } : verdict;
        await reject(conn, handshake.reject(refusal.status, refusal));
        throw new HandshakeError(`The client was refused with ${refusal.status}`, 'WS_ERR_UNEXPECTED_STATUS', refusal.status);
      }
    }
    const chosen = options.handleProtocols ? options.handleProtocols(validated.protocols, request) : validated.protocols[0];
    const answer = handshake.accept({ protocol: chosen || undefined, headers: options.headers });
    if (answer instanceof HandshakeError) {
      await reject(conn, handshake.reject(answer.status ?? 400));
      throw answer;
    }
    await writeAll(conn, answer.response);
    const socket = new WebSocket({
      url: `ws://${head.headers.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost'}${validated.target}`,
      opened: { conn, role: 'server', extensions: answer.extensions, rest },
      protocol: answer.protocol,
      extensions: answer.extensionsHeader,
      options,
    });
    return { socket, request };
  } catch (error) {
    // A refusal was written and the Conn closed above; anything else (a throwing hook, a peer
    // gone while we wrote the 101) closes it here.
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    throw error;
  }
}
