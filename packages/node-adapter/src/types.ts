/**
 * The types the WebSocket facade, the server, the client handshake and the socket binding
 * share. They live here, not in websocket.ts, so that those files do not import each other.
 */
import type { EventEmitter } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Extension } from '@sansock/core';
import type { BinaryType, RawData } from './data.js';
import type { TopicRegistry } from './topics/topic-registry.js';

/** The EventEmitter events and their arguments, exactly as `ws` emits them. */
export interface WebSocketEvents {
  open: [];
  message: [data: RawData, isBinary: boolean];
  close: [code: number, reason: Buffer];
  error: [error: Error];
  ping: [data: Buffer];
  pong: [data: Buffer];
  upgrade: [response: IncomingMessage];
  'unexpected-response': [request: ClientRequest, response: IncomingMessage];
  redirect: [url: string, request: ClientRequest];
}

/** Options every WebSocket has, on both sides. */
export interface WebSocketOptions {
  /** Let 'message', 'ping' and 'pong' be emitted several times in one tick. Default true (as `ws` ≥ 8.17). */
  allowSynchronousEvents?: boolean;
  /** Answer pings automatically. Default true. */
  autoPong?: boolean;
  /** Automatic pongs allowed to wait for the socket before the peer is terminated (a ping flood). Default 60; 0 = no limit. */
  maxPendingAutoPongs?: number;
  /** Milliseconds to wait for the peer's side of the closing handshake. Default 30000. */
  closeTimeout?: number;
  /** Largest message in bytes. Default 100 MiB. */
  maxPayload?: number;
  /**
   * Most frames one message may arrive in; more close the connection with 1009 (as `ws` 8.23's
   * option of the same name, which closes with 1008). 0 = no limit. Default 524,288 for a
   * client, 131,072 for a server (see the README's Limits).
   */
  maxFragments?: number;
  /** Do not validate UTF-8 of text messages. Default false. */
  skipUTF8Validation?: boolean;
}

export interface SendOptions {
  /** Default: true for bytes, false for strings. */
  binary?: boolean;
  /** Compress the message if permessage-deflate was negotiated. Default true. */
  compress?: boolean;
  /** False leaves the message open: the next send continues it. Default true. */
  fin?: boolean;
  /** Accepted for `ws` compatibility; clients always mask and servers never do (RFC 6455 §5.1). */
  mask?: boolean;
}

/**
 * Called once the data is written (`null`, as with `ws`) or with the error. Declared through a
 * method so its parameter is checked both ways: code written for `@types/ws` passes
 * `(error?: Error) => ...`, which a plain `(error?: Error | null) => void` would refuse.
 */
export type SendCallback = { bivarianceHack(error?: Error | null): void }['bivarianceHack'];

/** What the server or the client handshake hands over once the socket is upgraded. */
export interface SocketInit {
  readonly role: 'client' | 'server';
  readonly extensions: readonly Extension[];
  readonly protocol: string;
  readonly allowSynchronousEvents?: boolean;
  readonly maxPayload?: number;
  readonly maxFragments?: number;
  readonly skipUTF8Validation?: boolean;
  /** The server's topics (`ws.subscribe`); none on a client. */
  readonly topics?: TopicRegistry;
}

/** What the server needs from the WebSocket it creates: to bind it to the upgraded socket (`ws`'s `setSocket`). */
export interface UpgradeTarget {
  setSocket(socket: Duplex, head: Uint8Array, init: SocketInit): void;
}

/** What the socket binding needs from the WebSocket to emit its events. */
export interface EventOwner extends EventEmitter<WebSocketEvents> {
  readonly binaryType: BinaryType;
}
