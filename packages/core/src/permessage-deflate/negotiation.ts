/**
 * Negotiation of permessage-deflate (RFC 7692 §7.1): what a client offers, which offer a
 * server accepts and with what response, and whether a client can live with the response.
 * Pure functions over parsed parameters; `factory.ts` wires them to the ExtensionFactory API.
 */
import type { WindowBits } from './codec.js';
import type { ResolvedOptions } from './options.js';
import type { DeflateParams } from './params.js';

/** What each side of one connection does, derived from the response. */
export interface DeflateAgreement {
  /** The parameters of the accepted response, as sent by the server. */
  readonly params: DeflateParams;
  /** Window our compressor may use. */
  readonly ownWindowBits: WindowBits;
  /** Window the peer's compressor may use: our decompressor must accept it. */
  readonly peerWindowBits: WindowBits;
  /** Reset our compressor after every message. */
  readonly ownNoContextTakeover: boolean;
  /** Reset our decompressor after every message. */
  readonly peerNoContextTakeover: boolean;
}

const MAX_WINDOW_BITS: WindowBits = 15;
const minBits = (a: WindowBits, b: WindowBits): WindowBits => (a < b ? a : b);
const isBits = (value: WindowBits | boolean | undefined): value is WindowBits => typeof value === 'number';

/** The client's offer (one element, like `ws`): by default just `client_max_window_bits`. */
export function clientOffer(options: ResolvedOptions): DeflateParams {
  return {
    serverNoContextTakeover: options.serverNoContextTakeover === true,
    clientNoContextTakeover: options.clientNoContextTakeover === true,
    // §7.1.2.1: the parameter needs a value, so only a number is offered.
    serverMaxWindowBits: isBits(options.serverMaxWindowBits) ? options.serverMaxWindowBits : undefined,
    // §7.1.2.2: offered bare unless disabled, so the server may limit our window.
    clientMaxWindowBits: isBits(options.clientMaxWindowBits)
      ? options.clientMaxWindowBits
      : options.clientMaxWindowBits === false
        ? undefined
        : true,
  };
}

/**
 * Server: the response to one valid offer, or a reason to decline it. Follows `ws`, except
 * that a window smaller than the server's own setting is agreed to rather than declined
 * (a smaller window is always safe, and RFC 7692 lets the server use any window up to the
 * offered one).
 */
export function serverResponse(options: ResolvedOptions, offer: DeflateParams): DeflateParams | string {
  // §7.1.1.1: the server may refuse to give up its context.
  if (offer.serverNoContextTakeover && options.serverNoContextTakeover === false) {
    return 'server_no_context_takeover is disabled';
  }

  // §7.1.2.1: an offered server_max_window_bits must be answered with the same or a smaller value.
  let serverMaxWindowBits: WindowBits | undefined;
  if (offer.serverMaxWindowBits !== undefined) {
    if (options.serverMaxWindowBits === false) return 'server_max_window_bits is disabled';
    serverMaxWindowBits = isBits(options.serverMaxWindowBits)
      ? minBits(options.serverMaxWindowBits, offer.serverMaxWindowBits)
      : offer.serverMaxWindowBits;
  } else if (isBits(options.serverMaxWindowBits)) {
    // §7.1.2.1: the server may limit its own window even when not asked.
    serverMaxWindowBits = options.serverMaxWindowBits;
  }

  // §7.1.2.2: client_max_window_bits may appear in the response only if it was offered.
  let clientMaxWindowBits: WindowBits | undefined;
  if (isBits(options.clientMaxWindowBits)) {
    if (offer.clientMaxWindowBits === undefined) return 'client_max_window_bits is required but was not offered';
    clientMaxWindowBits =
      offer.clientMaxWindowBits === true
        ? options.clientMaxWindowBits
        : minBits(options.clientMaxWindowBits, offer.clientMaxWindowBits);
  } else if (options.clientMaxWindowBits !== false && isBits(offer.clientMaxWindowBits)) {
    // Echo the client's hint, so both sides agree on the window it uses (as ws does).
    clientMaxWindowBits = offer.clientMaxWindowBits;
  }

  return {
    serverNoContextTakeover: offer.serverNoContextTakeover || options.serverNoContextTakeover === true,
    clientNoContextTakeover: offer.clientNoContextTakeover || options.clientNoContextTakeover === true,
    serverMaxWindowBits,
    clientMaxWindowBits,
  };
}

/** Client: whether the server's response fits what was offered (§7.1); a reason string if not. */
export function checkServerResponse(options: ResolvedOptions, offered: DeflateParams, response: DeflateParams): string | undefined {
  if (response.clientNoContextTakeover && options.clientNoContextTakeover === false) {
    return 'Unexpected parameter "client_no_context_takeover"';
  }
  if (offered.serverMaxWindowBits !== undefined) {
    // §7.1.2.1: accepting an offered server_max_window_bits means answering with it, same or smaller.
    if (response.serverMaxWindowBits === undefined) return 'Missing parameter "server_max_window_bits"';
    if (response.serverMaxWindowBits > offered.serverMaxWindowBits) {
      return `Parameter "server_max_window_bits" is larger than requested: ${response.serverMaxWindowBits} > ${offered.serverMaxWindowBits}`;
    }
  }
  if (response.clientMaxWindowBits !== undefined) {
    // §7.1.2.2: "the client MUST fail the connection" if it did not offer the parameter.
    if (offered.clientMaxWindowBits === undefined) return 'Unexpected parameter "client_max_window_bits"';
    if (isBits(offered.clientMaxWindowBits) && isBits(response.clientMaxWindowBits) && response.clientMaxWindowBits > offered.clientMaxWindowBits) {
      return `Parameter "client_max_window_bits" is larger than offered: ${String(response.clientMaxWindowBits)} > ${offered.clientMaxWindowBits}`;
    }
  }
  return undefined;
}

/** Client side of an accepted response. */
export function clientAgreement(options: ResolvedOptions, offered: DeflateParams, response: DeflateParams): DeflateAgreement {
  const ownLimit = isBits(response.clientMaxWindowBits)
    ? response.clientMaxWindowBits
    : isBits(offered.clientMaxWindowBits)
      ? offered.clientMaxWindowBits // we promised to stay within our hint
      : MAX_WINDOW_BITS;
  return {
    params: response,
    ownWindowBits: ownLimit,
    peerWindowBits: response.serverMaxWindowBits ?? MAX_WINDOW_BITS,
    // Dropping our own context is always compatible, so our option applies even if not echoed.
    ownNoContextTakeover: response.clientNoContextTakeover || options.clientNoContextTakeover === true,
    peerNoContextTakeover: response.serverNoContextTakeover,
  };
}

/** Server side of a response it sent. */
export function serverAgreement(response: DeflateParams): DeflateAgreement {
  return {
    params: response,
    ownWindowBits: response.serverMaxWindowBits ?? MAX_WINDOW_BITS,
    // A client's unanswered hint is not relied on: inflating with a larger window is always safe.
    peerWindowBits: isBits(response.clientMaxWindowBits) ? response.clientMaxWindowBits : MAX_WINDOW_BITS,
    ownNoContextTakeover: response.serverNoContextTakeover,
    peerNoContextTakeover: response.clientNoContextTakeover,
  };
}
