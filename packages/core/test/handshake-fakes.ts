import type { Extension, ExtensionFactory, ExtensionOffer } from '../src/index.js';

/** A tiny extension for negotiation tests: it claims `rsvMask` and passes payloads through. */
export function fakeExtension(name: string, rsvMask: number, log: string[] = []): Extension {
  return {
    name,
    rsvMask,
    decode: (payload) => payload,
    encode: (payload) => payload,
    rsvFor: () => 0,
    dispose: () => {
      log.push(`dispose ${name}`);
    },
  };
}

/**
 * A factory that offers `offers`, accepts the first offer whose params it likes (echoing them),
 * and confirms a response unless it carries a `bad` parameter.
 */
export function fakeFactory(
  name: string,
  options: {
    rsvMask?: number;
    offers?: ExtensionOffer[];
    log?: string[];
    acceptOnly?: (offer: ExtensionOffer) => boolean;
    throwOnAccept?: boolean;
  } = {},
): ExtensionFactory & { seen: ExtensionOffer[][] } {
  const seen: ExtensionOffer[][] = [];
  const rsvMask = options.rsvMask ?? 0x40;
  return {
    name,
    seen,
    offers: () => options.offers ?? [{ name, params: [] }],
    accept(offers) {
      seen.push([...offers]);
      if (options.throwOnAccept) throw new Error(`bad ${name} parameters`);
      const chosen = offers.find(options.acceptOnly ?? (() => true));
      if (!chosen) return null;
      options.log?.push(`accept ${name}`);
      return { response: { name, params: chosen.params }, extension: fakeExtension(name, rsvMask, options.log) };
    },
    confirm(response) {
      if (response.params.some(([param]) => param === 'bad')) return `${name} cannot accept a bad parameter`;
      return fakeExtension(name, rsvMask, options.log);
    },
  };
}
