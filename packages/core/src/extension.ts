import type { ProtocolError } from './errors.js';

/**
 * Extensions (RFC 6455 §9). The core knows no extension by name: it negotiates through
 * `ExtensionFactory` objects and runs the negotiated `Extension`s on every message.
 *
 * Extensions here are per-message, like permessage-deflate (RFC 7692): the RSV bits an extension
 * claims may only be set on the first frame of a data message, never on a continuation or a
 * control frame (RFC 7692 §6). The core enforces that; the extension never sees such frames.
 */

/** One parameter of an extension offer or response: `name` or `name=value` (RFC 6455 §9.1). */
export type ExtensionParam = readonly [name: string, value: string | true];

/** One element of a `Sec-WebSocket-Extensions` header: an extension name and its parameters, in order. */
export interface ExtensionOffer {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
}

/** Outcome of decoding or encoding a payload: the bytes, or a protocol failure to close with. */
export type ExtensionResult = Uint8Array | ProtocolError;

/** The per-connection instance of a negotiated extension. */
export interface Extension {
  /** The registered extension name, e.g. `permessage-deflate`. */
  readonly name: string;
  /** The RSV bits this extension claims, as a mask of the frame's first byte (RSV1 = 0x40). */
  readonly rsvMask: number;
  /**
   * Inbound: called for each data frame of a message whose first frame had any of this
   * extension's RSV bits set, in order. `fin` marks the message's last frame. The result must
   * not exceed `maxBytes` (what remains of `maxPayload` for this message): return a
   * ProtocolError with close code 1009 instead. May return a Promise (an asynchronous codec);
   * the connection then holds every later event until it settles, so order is kept.
   */
  decode(payload: Uint8Array, fin: boolean, maxBytes: number): ExtensionResult | Promise<ExtensionResult>;
  /**
   * Outbound: called for each data frame of a message for which `rsvFor(...)` returned this
   * extension's bits. Same ordering guarantee as `decode`.
   */
  encode(payload: Uint8Array, fin: boolean): Uint8Array | Promise<Uint8Array>;
  /**
   * Whether to transform an outbound message, decided on its first frame: `firstPayload` is
   * the first frame's payload, `requested` the sender's wish (e.g. `compress: false`).
   * Returns the RSV bits to set on the first frame (0 = send untransformed).
   */
  rsvFor(firstPayload: Uint8Array, fin: boolean, requested: boolean): number;
  /** Releases resources (codec contexts). Called once when the connection is closed. */
  dispose?(): void;
}

/**
 * Negotiation (RFC 6455 §9.1). A client sends `offers()`; the server picks with `accept()`;
 * the client checks the server's answer with `confirm()`.
 */
export interface ExtensionFactory {
  readonly name: string;
  /** Client: the offers to put in `Sec-WebSocket-Extensions`, most preferred first. */
  offers(): ExtensionOffer[];
  /**
   * Server: given every offer of this extension in the request (in the client's order), return
   * the response parameters and the instance, or `null` to decline.
   */
  accept(offers: readonly ExtensionOffer[]): { response: ExtensionOffer; extension: Extension } | null;
  /**
   * Client: the server accepted with `response`. Return the instance, or a message saying why
   * the response is unacceptable (the client then fails the connection, RFC 6455 §9.1).
   */
  confirm(response: ExtensionOffer): Extension | string;
}
