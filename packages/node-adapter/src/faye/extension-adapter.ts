/**
 * faye's pluggable extensions (the `websocket-extensions` shape, what the `permessage-deflate`
 * npm package implements) as the core's ExtensionFactory/Extension. faye sessions transform
 * whole messages through callbacks; the core hands an extension each frame of a message and
 * accepts a Promise, so frames are gathered until FIN and the callback becomes the Promise.
 */
import { type Extension, type ExtensionFactory, type ExtensionOffer, type ExtensionParam, ProtocolError } from '@sansock/core';

/** A value in a faye parameter set: `true` for a bare name, numbers parsed, repeats as arrays. */
export type FayeParamValue = string | number | boolean;
export type FayeParams = Record<string, FayeParamValue | FayeParamValue[]>;

/** A message as faye extensions see it (`websocket-extensions` README, "Message"). */
export interface FayeMessage {
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  data: Buffer;
}

export type FayeMessageCallback = (error: Error | null | undefined, message?: FayeMessage | null) => void;

export interface FayeSession {
  processIncomingMessage(message: FayeMessage, callback: FayeMessageCallback): void;
  processOutgoingMessage(message: FayeMessage, callback: FayeMessageCallback): void;
  close?(): void;
}
export interface FayeClientSession extends FayeSession {
  generateOffer(): FayeParams | FayeParams[] | null | undefined;
  activate(params: FayeParams): boolean;
}
export interface FayeServerSession extends FayeSession {
  generateResponse(): FayeParams | null | undefined;
}

/** A faye extension object, e.g. `require('permessage-deflate')`. */
export interface FayeExtension {
  readonly name: string;
  readonly type: string;
  readonly rsv1: boolean;
  readonly rsv2: boolean;
  readonly rsv3: boolean;
  createClientSession(options: FayeSessionOptions): FayeClientSession | null | undefined;
  createServerSession(offers: FayeParams[], options: FayeSessionOptions): FayeServerSession | null | undefined;
}

/** What `websocket-extensions` passes its extensions: the connection's `maxLength`. */
export interface FayeSessionOptions {
  maxLength?: number;
}

// `websocket-extensions` turns a value that looks like a number into one.
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Core offer parameters → the object a faye extension expects. */
export function toFayeParams(params: readonly ExtensionParam[]): FayeParams {
  const out: FayeParams = {};
  for (const [name, raw] of params) {
    const value: FayeParamValue = raw === true ? true : NUMBER.test(raw) ? Number.parseFloat(raw) : raw;
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else out[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** A faye parameter object → core parameters (false/null values are left out, as faye does). */
export function fromFayeParams(params: FayeParams | null | undefined): ExtensionParam[] {
  const out: ExtensionParam[] = [];
  if (params === null || params === undefined) return out;
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === true) out.push([name, true]);
      else if (item !== false && item !== null && item !== undefined) out.push([name, String(item)]);
    }
  }
  return out;
}

function rsvMaskOf(extension: FayeExtension): number {
  return (extension.rsv1 ? 0x40 : 0) | (extension.rsv2 ? 0x20 : 0) | (extension.rsv3 ? 0x10 : 0);
}

function extensionFailed(extension: FayeExtension, error: unknown): ProtocolError {
  const message = error instanceof Error ? error.message : String(error);
  // websocket-driver fails the connection with 1010 when an extension reports an error.
  return new ProtocolError(`${extension.name}: ${message}`, 'WS_ERR_EXTENSION_FAILED', 1010);
}

/** Runs one faye session as the core's Extension: frames gathered, whole messages processed. */
class FayeSessionExtension implements Extension {
  readonly name: string;
  readonly rsvMask: number;
  private incoming: Buffer[] = [];
  private outgoing: Buffer[] = [];

  constructor(
    private readonly extension: FayeExtension,
    private readonly session: FayeSession,
  ) {
    this.name = extension.name;
    this.rsvMask = rsvMaskOf(extension);
  }

  private message(data: Buffer, rsvSet: boolean): FayeMessage {
    const mask = rsvSet ? this.rsvMask : 0;
    // The core does not say whether the message is text or binary: faye's deflate ignores it.
    return { rsv1: (mask & 0x40) !== 0, rsv2: (mask & 0x20) !== 0, rsv3: (mask & 0x10) !== 0, opcode: 2, data };
  }

  decode(payload: Uint8Array, fin: boolean): Uint8Array | Promise<Uint8Array | ProtocolError> {
    this.incoming.push(Buffer.from(payload));
    if (!fin) return EMPTY;
    const data = Buffer.concat(this.incoming);
    this.incoming = [];
    return new Promise((resolve) => {
      try {
        this.session.processIncomingMessage(this.message(data, true), (error, message) => {
          if (error) resolve(extensionFailed(this.extension, error));
          else resolve(message?.data ?? EMPTY);
        });
      } catch (error) {
        resolve(extensionFailed(this.extension, error));
      }
    });
  }

  encode(payload: Uint8Array, fin: boolean): Uint8Array | Promise<Uint8Array> {
    // The faye facade sends every message as one frame; a fragmented one is gathered first.
    this.outgoing.push(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
    if (!fin) return EMPTY;
    const data = this.outgoing.length === 1 ? this.outgoing[0]! : Buffer.concat(this.outgoing);
    this.outgoing = [];
    return new Promise((resolve, reject) => {
      this.session.processOutgoingMessage(this.message(data, false), (error, message) => {
        if (error) reject(error);
        else resolve(message?.data ?? EMPTY);
      });
    });
  }

  rsvFor(_firstPayload: Uint8Array, _fin: boolean, requested: boolean): number {
    // faye runs every message through every session; the RSV bits must be chosen before the
    // session answers, so a negotiated session is taken to transform every message.
    return requested ? this.rsvMask : 0;
  }

  dispose(): void {
    this.session.close?.();
  }
}

const EMPTY = new Uint8Array(0);

/** A fresh factory per connection: a faye client session lives from the offer to the confirmation. */
export function createFayeExtensionFactory(extension: FayeExtension, options: FayeSessionOptions): ExtensionFactory {
  let clientSession: FayeClientSession | null = null;
  return {
    name: extension.name,
    offers(): ExtensionOffer[] {
      clientSession = extension.createClientSession(options) ?? null;
      if (clientSession === null) return [];
      const offer = clientSession.generateOffer();
      const list = offer === null || offer === undefined ? [] : Array.isArray(offer) ? offer : [offer];
      return list.map((params) => ({ name: extension.name, params: fromFayeParams(params) }));
    },
    accept(offers) {
      const session = extension.createServerSession(
        offers.map((offer) => toFayeParams(offer.params)),
        options,
      );
      if (session === null || session === undefined) return null;
      return {
        response: { name: extension.name, params: fromFayeParams(session.generateResponse()) },
        extension: new FayeSessionExtension(extension, session),
      };
    },
    confirm(response) {
      const session = clientSession;
      if (session === null) return `no session for ${extension.name}`;
      if (session.activate(toFayeParams(response.params)) !== true) {
        return `Server sent unacceptable extension parameters for ${extension.name}`;
      }
      return new FayeSessionExtension(extension, session);
    },
  };
}

/** Checks what `extensions: [...]` holds, as faye would when it adds them. */
export function isFayeExtension(value: unknown): value is FayeExtension {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<FayeExtension>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.createClientSession === 'function' &&
    typeof candidate.createServerSession === 'function'
  );
}
