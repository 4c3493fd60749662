/** permessage-deflate for @sansock/node: the core's negotiation and framing over node:zlib, with `ws`'s options. */
import type { ZlibOptions } from 'node:zlib';
import { type ExtensionFactory, InvalidArgumentError, createPerMessageDeflate } from '@sansock/core';
import { sharedLimiter } from './limiter.js';
import { createZlibCodec } from './zlib-codec.js';

/** `zlibDeflateOptions` as `@types/ws` declares them (so a `ws` options object type-checks here). */
export interface ZlibDeflateOptions {
  flush?: number;
  finishFlush?: number;
  chunkSize?: number;
  windowBits?: number;
  level?: number;
  memLevel?: number;
  strategy?: number;
  dictionary?: Buffer | Buffer[] | DataView;
  info?: boolean;
}

/** The `perMessageDeflate` options of `ws`, with the same names, meanings and defaults. */
export interface PerMessageDeflateOptions {
  /** Server: accept (undefined), always request (true) or refuse (false) server_no_context_takeover. Client: request it. */
  serverNoContextTakeover?: boolean;
  /** Server: always request client_no_context_takeover (true). Client: offer it; false rejects a server that imposes it. */
  clientNoContextTakeover?: boolean;
  /** 8-15 to request/impose a server window; false (server) declines offers that limit it. */
  serverMaxWindowBits?: number | boolean;
  /** 8-15 to request/offer a client window; true/undefined: the client offers the bare parameter; false: never. */
  clientMaxWindowBits?: number | boolean;
  /** Options for zlib's DeflateRaw (`windowBits` is replaced by the negotiated one). */
  zlibDeflateOptions?: ZlibDeflateOptions;
  /** Options for zlib's InflateRaw (`windowBits` is replaced by the negotiated one). */
  zlibInflateOptions?: ZlibOptions;
  /** Messages smaller than this are sent uncompressed when our side drops its context. Default 1024. */
  threshold?: number;
  /** Concurrent zlib operations in the process (the first value used wins, as in ws). Default 10. */
  concurrencyLimit?: number;
}

export interface PerMessageDeflateContext {
  readonly role: 'client' | 'server';
  /** The connection's maxPayload (0 = none): inflating stops past it. */
  readonly maxPayload: number;
}

export const DEFAULT_CONCURRENCY_LIMIT = 10;

/** `@types/ws` allows a dictionary given as several buffers: zlib wants one. */
function toZlibOptions(options: ZlibDeflateOptions | undefined): ZlibOptions | undefined {
  if (options === undefined) return undefined;
  const { dictionary, ...rest } = options;
  if (dictionary === undefined) return rest;
  return { ...rest, dictionary: Array.isArray(dictionary) ? Buffer.concat(dictionary) : dictionary };
}

/**
 * The ExtensionFactory for one connection: pass it to the handshake (client offers / server
 * negotiation), then give the resulting extension to the Connection. `true` means `{}`.
 */
export function createNodePerMessageDeflate(
  options: PerMessageDeflateOptions | true,
  context: PerMessageDeflateContext,
): ExtensionFactory {
  const opts: PerMessageDeflateOptions = options === true ? {} : options;
  const concurrency = opts.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT;
  if (!(concurrency > 0)) throw new InvalidArgumentError('concurrencyLimit must be a positive number');
  const codec = createZlibCodec(
    { zlibDeflateOptions: toZlibOptions(opts.zlibDeflateOptions), zlibInflateOptions: opts.zlibInflateOptions },
    sharedLimiter(concurrency),
  );
  return createPerMessageDeflate(
    {
      role: context.role,
      maxPayload: context.maxPayload,
      serverNoContextTakeover: opts.serverNoContextTakeover,
      clientNoContextTakeover: opts.clientNoContextTakeover,
      serverMaxWindowBits: opts.serverMaxWindowBits,
      clientMaxWindowBits: opts.clientMaxWindowBits,
      threshold: opts.threshold,
    },
    codec,
  );
}

export { createZlibCodec } from './zlib-codec.js';
export type { ZlibCodecOptions } from './zlib-codec.js';
export { Limiter, sharedLimiter } from './limiter.js';
