/**
 * The one place that decides which extensions a client offers or a server accepts. Today that
 * is permessage-deflate (RFC 7692) on node:zlib, with `ws`'s defaults: on for clients
 * (`perMessageDeflate: true`), off for servers.
 */
import type { ExtensionFactory } from '@sansock/core';
import { type PerMessageDeflateOptions, createNodePerMessageDeflate } from './permessage-deflate/index.js';

export type { PerMessageDeflateOptions } from './permessage-deflate/index.js';

export function createExtensionFactories(
  perMessageDeflate: PerMessageDeflateOptions | boolean | undefined,
  context: { readonly role: 'client' | 'server'; readonly maxPayload: number },
): ExtensionFactory[] {
  const factories: ExtensionFactory[] = [];
  if (perMessageDeflate !== undefined && perMessageDeflate !== false) {
    factories.push(createNodePerMessageDeflate(perMessageDeflate, context));
  }
  return factories;
}
