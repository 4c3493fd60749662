/** What a Connection is made with: its role, limits, and the runtime's faster helpers (all optional). */
import type { Allocate } from './bytes.js';
import type { Extension } from './extension.js';
import type { ByteView } from './frame-parser.js';
import type { NativeMask, RandomFill } from './mask.js';

export type Role = 'client' | 'server';

/** 100 MiB, the `ws` default. */
export const DEFAULT_MAX_PAYLOAD = 100 * 1024 * 1024;

/**
 * Default `maxFragments` per role. A server faces the internet: 131,072 (2^17) is twice what
 * Autobahn's cases 9.3.1–9.4.2 need (4 MiB in 64-byte fragments = 65,536), and cuts a flood of
 * tiny fragments off early. A client usually trusts its server, so it allows four times more
 * (a low client default was ws#2335), and still cuts off a flood of a million.
 */
export const DEFAULT_MAX_FRAGMENTS: Readonly<Record<Role, number>> = Object.freeze({ server: 131_072, client: 524_288 });

export interface ConnectionOptions {
  readonly role: Role;
  /** Largest message in bytes (on the wire and decoded); exceeding it closes with 1009. 0 = no limit. Default 100 MiB. */
  readonly maxPayload?: number;
  /**
   * Most frames one message may arrive in (§5.4); one more closes the connection with 1009.
   * 0 = no limit. Default `DEFAULT_MAX_FRAGMENTS[role]`: 131,072 for a server, 524,288 for a client.
   */
  readonly maxFragments?: number;
  /**
   * Largest single frame in bytes, checked from its header before the payload is read; a bigger
   * one closes with 1009. For APIs with a per-frame limit (WebSocket-Node's
   * `maxReceivedFrameSize`). 0 = no limit (the default: `maxPayload` bounds frames anyway).
   */
  readonly maxFrameSize?: number;
  /** Skip UTF-8 validation of text messages (close reasons are always validated). Default false. */
  readonly skipUTF8Validation?: boolean;
  /** Answer every ping with a pong automatically (§5.5.2). Default true. */
  readonly autoPong?: boolean;
  /** Extensions negotiated in the handshake, in the order of the response header (§9.1). */
  readonly extensions?: readonly Extension[];
  /** Split outgoing payloads longer than this many bytes into fragments (§5.4). Default: never. */
  readonly fragmentSize?: number;
  /** Deliver `fragment` events as payload arrives instead of whole `message` events. Default false. */
  readonly deliverFragments?: boolean;
  /** Source of masking keys; must be cryptographically strong (§10.3). Default crypto.getRandomValues. */
  readonly randomFill?: RandomFill;
  /**
   * Fills each frame's 4-byte masking key, called once per frame as it is built (`ws`'s
   * `generateMask`); replaces `randomFill`. §5.3 asks for unpredictable keys: an application
   * that passes this (e.g. zero keys for speed on a trusted link) takes that on itself.
   */
  readonly generateMask?: RandomFill;
  /**
   * A faster XOR for masking and unmasking long payloads, e.g. `bufferutil`'s `unmask` in Node
   * (§5.3 is a plain XOR, so any correct implementation will do). Default: the core's own loop.
   */
  readonly nativeMask?: NativeMask;
  /**
   * A faster whole-buffer UTF-8 validity check (e.g. Node's `buffer.isUtf8`), used for text
   * messages that arrive in one piece; fragmented ones keep the streaming, fail-fast validator.
   */
  readonly nativeUtf8Check?: (bytes: Uint8Array) => boolean;
  /**
   * Makes the arrays the core fills completely before anyone reads them (messages joined from
   * several reads, large masked frames, the slabs small frames are cut from), so it may return
   * uninitialised memory and skip the zero-fill `new Uint8Array` pays (an adapter knows how its
   * runtime does that). Default: `new Uint8Array`.
   */
  readonly allocate?: Allocate;
  /**
   * Makes the view a message is handed out as when it arrived whole within one received chunk
   * (no copy either way): a runtime's own Uint8Array subclass (Node's byte type) spares the adapter wrapping
   * every message again. Default: a Uint8Array.
   */
  readonly byteView?: ByteView;
  /** Called when an asynchronous extension codec settles: call `nextEvent()` and `takeOutput()` again. */
  readonly onWake?: () => void;
}
