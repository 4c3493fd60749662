/** The ExtensionFactory for permessage-deflate (RFC 7692 §7.1), over an injected codec. */
import { InvalidArgumentError } from '../errors.js';
import type { ExtensionFactory, ExtensionOffer } from '../extension.js';
import type { DeflateCodec } from './codec.js';
import { PerMessageDeflate } from './deflate-extension.js';
import { checkServerResponse, clientAgreement, clientOffer, serverAgreement, serverResponse } from './negotiation.js';
import { type DeflateOptions, resolveOptions } from './options.js';
import { EXTENSION_NAME, formatDeflateParams, parseDeflateParams } from './params.js';

/**
 * Negotiates permessage-deflate for one connection and creates its `PerMessageDeflate`
 * instance. `options.role` says which side we are; `codec` does the DEFLATE work (node:zlib
 * in `@sansock/node`, `pureDeflateCodec` anywhere). Create one factory per connection.
 */
export function createPerMessageDeflate(options: DeflateOptions, codec: DeflateCodec): ExtensionFactory {
  const resolved = resolveOptions(options);
  const offered = clientOffer(resolved);
  const create = (agreement: ReturnType<typeof serverAgreement>) =>
    new PerMessageDeflate(agreement, codec, resolved.threshold, resolved.maxPayload);

  const requireRole = (role: 'client' | 'server', action: string): void => {
    if (resolved.role !== role) throw new InvalidArgumentError(`permessage-deflate: a ${resolved.role} cannot ${action}`);
  };

  return {
    name: EXTENSION_NAME,

    offers(): ExtensionOffer[] {
      requireRole('client', 'make offers');
      return [{ name: EXTENSION_NAME, params: formatDeflateParams(offered) }];
    },

    accept(offers) {
      requireRole('server', 'accept offers');
      // §7.1: decline an offer with an unknown, repeated or invalid parameter, or one we cannot
      // honour, and try the next (the client's order is its preference).
      for (const offer of offers) {
        if (offer.name !== EXTENSION_NAME) continue;
        const params = parseDeflateParams(offer.params, 'offer');
        if (typeof params === 'string') continue;
        const response = serverResponse(resolved, params);
        if (typeof response === 'string') continue;
        return {
          response: { name: EXTENSION_NAME, params: formatDeflateParams(response) },
          extension: create(serverAgreement(response)),
        };
      }
      return null;
    },

    confirm(response) {
      requireRole('client', 'confirm a response');
      if (response.name !== EXTENSION_NAME) return `Unexpected extension "${response.name}"`;
      const params = parseDeflateParams(response.params, 'response');
      if (typeof params === 'string') return params;
      const problem = checkServerResponse(resolved, offered, params);
      if (problem !== undefined) return problem;
      return create(clientAgreement(resolved, offered, params));
    },
  };
}
