/** Server-side extension negotiation (RFC 6455 §9.1). */
import { HandshakeError } from '../errors.js';
import type { Extension, ExtensionFactory, ExtensionOffer } from '../extension.js';
import { formatExtensionHeader } from './tokens.js';

/**
 * Offers the client's offers to each factory, in the factories' order (the server's
 * preference): `accept()` gets every offer with its name, in the client's order. Offers with
 * no factory are ignored (§9.1: the server picks what it supports). A factory whose extension
 * claims an RSV bit an earlier accepted one already uses is skipped: two extensions cannot
 * share a bit. A factory that throws on the client's parameters makes a 400, like `ws`.
 */
export function negotiateExtensions(
  offers: readonly ExtensionOffer[],
  factories: readonly ExtensionFactory[],
): { readonly header: string; readonly extensions: Extension[] } | HandshakeError {
  // Nothing to negotiate (the usual handshake): no grouping, no header to format.
  if (offers.length === 0 || factories.length === 0) return { header: '', extensions: [] };
  const byName = new Map<string, ExtensionOffer[]>();
  for (const offer of offers) {
    const group = byName.get(offer.name);
    if (group) group.push(offer);
    else byName.set(offer.name, [offer]);
  }

  const responses: ExtensionOffer[] = [];
  const extensions: Extension[] = [];
  let usedRsv = 0;
  for (const factory of factories) {
    const group = byName.get(factory.name);
    if (group === undefined) continue;
    let result: ReturnType<ExtensionFactory['accept']>;
    try {
      result = factory.accept(group);
    } catch (error) {
      for (const extension of extensions) extension.dispose?.();
      const reason = error instanceof Error ? `: ${error.message}` : '';
      return new HandshakeError(
        `Invalid or unacceptable Sec-WebSocket-Extensions header${reason}`,
        'WS_ERR_INVALID_EXTENSION_HEADER',
        400,
      );
    }
    if (result === null) continue;
    if ((result.extension.rsvMask & usedRsv) !== 0) {
      result.extension.dispose?.();
      continue;
    }
    usedRsv |= result.extension.rsvMask;
    responses.push(result.response);
    extensions.push(result.extension);
  }
  return { header: formatExtensionHeader(responses), extensions };
}
