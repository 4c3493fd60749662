/**
 * permessage-deflate (RFC 7692) for Deno: the core's negotiation and framing over node:zlib,
 * which Deno implements natively. Measured against the core's pure-TypeScript codec under Deno
 * (see README, "Compression"): zlib inflates 3-7x faster, compresses 1 KiB messages about as
 * fast and large ones faster, with smaller output; both keep context takeover.
 * The zlib codec and its process-wide concurrency limiter are the Node adapter's (one source).
 */
import {
  type DeflateCodec,
  type DeflateNegotiationOptions,
  type ExtensionFactory,
  createPerMessageDeflate,
  pureDeflateCodec,
} from '@sansock/core';
import { sharedLimiter } from '../../node-adapter/src/permessage-deflate/limiter.js';
import { createZlibCodec } from '../../node-adapter/src/permessage-deflate/zlib-codec.js';

export interface PerMessageDeflateOptions extends DeflateNegotiationOptions {
  /**
   * Which DEFLATE implementation: 'zlib' (node:zlib, the default) or 'pure' (the core's
   * synchronous TypeScript codec: no ordering waits, no thread pool, bigger output).
   */
  readonly codec?: 'zlib' | 'pure';
  /** At most this many zlib operations at once in the process (shared; the first value wins). Default 10. */
  readonly concurrencyLimit?: number;
}

let zlibCodec: DeflateCodec | undefined;

function codecFor(options: PerMessageDeflateOptions): DeflateCodec {
  if (options.codec === 'pure') return pureDeflateCodec;
  zlibCodec ??= createZlibCodec({}, sharedLimiter(options.concurrencyLimit ?? 10));
  return zlibCodec;
}

/** The extension factories for one connection: none, or permessage-deflate. */
export function extensionFactories(
  perMessageDeflate: boolean | PerMessageDeflateOptions | undefined,
  role: 'client' | 'server',
): ExtensionFactory[] {
  if (perMessageDeflate === undefined || perMessageDeflate === false) return [];
  const options = perMessageDeflate === true ? {} : perMessageDeflate;
  // The connection's maxPayload bounds inflated messages already (the core passes it down).
  return [createPerMessageDeflate({ ...options, role }, codecFor(options))];
}
