/**
 * What the topic registry needs from a socket. `WebSocket` has all of it; written as an
 * interface so the registry and the WebSocket class do not import each other.
 */
import type { Extension } from '@sansock/core';

export interface TopicMember {
  /** 1 = OPEN (the WebSocket constants). */
  readonly readyState: number;
  /** Writes frames built once for many sockets, in order with the socket's other sends; false when not open. */
  sendFrames(frames: readonly Uint8Array[]): boolean;
  /** The per-socket path, for a socket whose compressor keeps context between messages. */
  send(data: Uint8Array, options: { binary: boolean; compress: boolean }): void;
  /** Negotiated extensions; permessage-deflate's instance carries its parameters. */
  readonly negotiatedExtensions: readonly Extension[];
  /** A member leaves every topic when it closes. */
  once(event: 'close', listener: () => void): unknown;
}
