/** The options of permessage-deflate, named and defaulted as in the `ws` package. */
import { InvalidArgumentError } from '../errors.js';
import type { WindowBits } from './codec.js';
import { parseWindowBits } from './params.js';

export interface DeflateNegotiationOptions {
  /**
   * Server: always ask the server to reset its context per message (`true`), or refuse offers
   * that request it (`false`). Client: request it. Default: undefined (server accepts such requests).
   */
  readonly serverNoContextTakeover?: boolean;
  /** Like `serverNoContextTakeover`, for the client's context. */
  readonly clientNoContextTakeover?: boolean;
  /**
   * The server's window: a number (8-15) to request (client) or impose (server); `false`
   * (server) to decline offers that limit it; `true`/undefined to take what is offered.
   */
  readonly serverMaxWindowBits?: number | boolean;
  /**
   * The client's window: a number to request (server, only if the client offered the
   * parameter) or to offer as a hint (client); `true`/undefined: the client offers the bare
   * parameter (the `ws` default); `false`: never offered / never requested.
   */
  readonly clientMaxWindowBits?: number | boolean;
  /**
   * Messages whose first frame is shorter than this are sent uncompressed, when our side does
   * not keep its context (`ws` semantics: with context takeover even small messages compress
   * well, so every message is compressed). Default 1024.
   */
  readonly threshold?: number;
}

export interface DeflateOptions extends DeflateNegotiationOptions {
  readonly role: 'client' | 'server';
  /** An extra cap on inflated message size (the connection's `maxPayload` applies anyway). 0 = none. */
  readonly maxPayload?: number;
}

export const DEFAULT_THRESHOLD = 1024;

export interface ResolvedOptions {
  readonly role: 'client' | 'server';
  readonly serverNoContextTakeover: boolean | undefined;
  readonly clientNoContextTakeover: boolean | undefined;
  readonly serverMaxWindowBits: WindowBits | boolean | undefined;
  readonly clientMaxWindowBits: WindowBits | boolean | undefined;
  readonly threshold: number;
  readonly maxPayload: number;
}

function windowOption(name: string, value: number | boolean | undefined): WindowBits | boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  const bits = Number.isInteger(value) ? parseWindowBits(String(value)) : undefined;
  if (bits === undefined) throw new InvalidArgumentError(`${name} must be an integer between 8 and 15, or a boolean`);
  return bits;
}

/** Validates options (local misuse throws InvalidArgumentError) and fills in defaults. */
export function resolveOptions(options: DeflateOptions): ResolvedOptions {
  if (options.role !== 'client' && options.role !== 'server') throw new InvalidArgumentError('role must be "client" or "server"');
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold >= 0)) throw new InvalidArgumentError('threshold must be a non-negative number of bytes');
  const maxPayload = options.maxPayload ?? 0;
  if (!(maxPayload >= 0)) throw new InvalidArgumentError('maxPayload must be a non-negative number of bytes');
  return {
    role: options.role,
    serverNoContextTakeover: options.serverNoContextTakeover,
    clientNoContextTakeover: options.clientNoContextTakeover,
    serverMaxWindowBits: windowOption('serverMaxWindowBits', options.serverMaxWindowBits),
    clientMaxWindowBits: windowOption('clientMaxWindowBits', options.clientMaxWindowBits),
    threshold,
    maxPayload,
  };
}
