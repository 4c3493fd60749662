/**
 * What a topic needs from a socket: `@sansock/node`'s WebSocket has all of it. Written as a
 * structural interface so the registry depends on no adapter (an adapter may depend on it).
 */
export interface TopicMember {
  /** 1 = OPEN (the WebSocket constants). */
  readonly readyState: number;
  /** Writes frames built once for many sockets, in order with the socket's other sends; false when not open. */
  sendFrames(frames: readonly Uint8Array[]): boolean;
  /** The per-socket path, for a socket whose compressor keeps context between messages. */
  send(data: Uint8Array | string, options: { binary: boolean }): void;
  /** Negotiated extensions; permessage-deflate's instance carries its parameters. */
  readonly negotiatedExtensions: readonly MemberExtension[];
  /** A member leaves every topic when it closes. */
  once(event: 'close', listener: () => void): unknown;
}

export interface MemberExtension {
  readonly name: string;
  /** permessage-deflate's negotiated parameters (the core's `PerMessageDeflate.params`). */
  readonly params?: {
    readonly serverNoContextTakeover: boolean;
    readonly serverMaxWindowBits: number | undefined;
  };
}

/**
 * How a published message may reach this member as shared bytes:
 * - 'plain': no permessage-deflate; an uncompressed frame.
 * - a number: permessage-deflate without server context takeover, with that LZ77 window
 *   (bits): a frame compressed once per window size suits every such member.
 * - 'own': permessage-deflate with context takeover: a compressed message must go through the
 *   socket's own compressor (its context would otherwise diverge from the peer's).
 */
export type FrameShape = 'plain' | 'own' | number;

const EXTENSION_NAME = 'permessage-deflate';

export function frameShapeOf(member: TopicMember): FrameShape {
  for (const extension of member.negotiatedExtensions) {
    if (extension.name !== EXTENSION_NAME) continue;
    const params = extension.params;
    if (params === undefined || !params.serverNoContextTakeover) return 'own';
    const bits = params.serverMaxWindowBits ?? 15;
    // zlib's raw deflate cannot make an 8-bit window (it uses 9), so such a peer gets its own.
    return bits < 9 ? 'own' : bits;
  }
  return 'plain';
}
