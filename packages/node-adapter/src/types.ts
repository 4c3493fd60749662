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
  /** Not in `ws`: after `send()` returned false, `bufferedAmount` is back at or below `sendHighWaterMark`. */
  drain: [];
  upgrade: [response: IncomingMessage];
  'unexpected-response': [request: ClientRequest, response: IncomingMessage];
  redirect: [url: string, request: ClientRequest];
  /** Not in `ws`: a piece of a message as it arrives, with the `deliverFragments` option (then no 'message'). */
  fragment: [data: Buffer, info: FragmentInfo];
}

/** Where a 'fragment' event's piece sits (with the `deliverFragments` option). */
export interface FragmentInfo {
  /** The message is binary (its first frame's opcode; RFC 6455 §5.6). */
  readonly isBinary: boolean;
  /** The message's first piece. */
  readonly first: boolean;
  /** The message's last piece: the message is complete. */
  readonly last: boolean;
  /** The last piece of a frame on the wire (a frame may arrive in several reads, so in several pieces). */
  readonly frameEnd: boolean;
}

/** The `keepAlive` option (not in `ws`). */
export interface KeepAliveOption {
  /** Ping after this many ms in which nothing arrived from the peer. */
  interval: number;
  /**
   * Then wait this many ms for anything from the peer (its pong, or any frame); after that in
   * silence the socket is destroyed and 'close' reports 1006. Omitted: never drop, only ping.
   */
  timeout?: number;
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
  /**
   * Not in `ws`: ping a silent peer and drop one that stays silent (see KeepAliveOption),
   * like the heartbeat `ws`'s README shows, without a timer per socket in the application. Default off.
   */
  keepAlive?: KeepAliveOption;
  /** Not in `ws`: send messages longer than `threshold` bytes as several frames of at most `threshold` bytes (RFC 6455 §5.4). Default off. */
  fragmentOutgoing?: { threshold: number };
  /**
   * Not in `ws`: hand out messages piece by piece as they arrive, in 'fragment' events instead of
   * 'message' (a large message need not be held whole). Default false.
   */
  deliverFragments?: boolean;
  /**
   * Not in `ws`: `send()` returns false once `bufferedAmount` is past this many bytes, and
   * 'drain' is emitted when it is back at or below. Default 16 MiB (16,777,216).
   */
  sendHighWaterMark?: number;
  /**
   * Not in `ws`: `addEventListener` and the `on<type>` attributes dispatch through the runtime's
   * own `EventTarget` with real `Event`/`MessageEvent`/`CloseEvent`/`ErrorEvent` instances
   * (`instanceof Event` holds; `{ signal }` works). Default false: `ws`'s emulated events.
   */
  nativeEvents?: boolean;
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
