/**
 * The four permessage-deflate parameters (RFC 7692 §7.1) parsed from one offer or response.
 * Parsing is strict, as §7.1 asks: an unknown name, a repeated name or an invalid value makes
 * the whole element unusable (the server declines that offer, the client fails the connection).
 */
import type { ExtensionParam } from '../extension.js';
import type { WindowBits } from './codec.js';

export const EXTENSION_NAME = 'permessage-deflate';

export interface DeflateParams {
  /** §7.1.1.1 */
  readonly serverNoContextTakeover: boolean;
  /** §7.1.1.2 */
  readonly clientNoContextTakeover: boolean;
  /** §7.1.2.1: always has a value. */
  readonly serverMaxWindowBits: WindowBits | undefined;
  /** §7.1.2.2: `true` = present without a value (allowed in an offer only). */
  readonly clientMaxWindowBits: WindowBits | true | undefined;
}

/**
 * §7.1.2.1 / §7.1.2.2: "a decimal integer value without leading zeroes between 8 to 15,
 * inclusive". Anything else ("08", "7", "16", "9.0", " 9") is invalid.
 */
export function parseWindowBits(value: string): WindowBits | undefined {
  if (!/^(?:[89]|1[0-5])$/.test(value)) return undefined;
  return Number(value) as WindowBits;
}

/** Parses one element's parameters; returns a reason string when it is unusable. */
export function parseDeflateParams(params: readonly ExtensionParam[], role: 'offer' | 'response'): DeflateParams | string {
  const seen = new Set<string>();
  let serverNoContextTakeover = false;
  let clientNoContextTakeover = false;
  let serverMaxWindowBits: WindowBits | undefined;
  let clientMaxWindowBits: WindowBits | true | undefined;
  for (const [rawName, value] of params) {
    // Names are compared exactly as RFC 7692 spells them (as `ws` does).
    const name = rawName;
    if (seen.has(name)) return `Parameter "${name}" must have only a single value`;
    seen.add(name);
    switch (name) {
      case 'server_no_context_takeover':
      case 'client_no_context_takeover':
        // §7.1.1.1, §7.1.1.2: these parameters have no value.
        if (value !== true) return `Invalid value for parameter "${name}": ${value}`;
        if (name === 'server_no_context_takeover') serverNoContextTakeover = true;
        else clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits': {
        // §7.1.2.1: always with a value.
        const bits = value === true ? undefined : parseWindowBits(value);
        if (bits === undefined) return `Invalid value for parameter "${name}": ${String(value)}`;
        serverMaxWindowBits = bits;
        break;
      }
      case 'client_max_window_bits': {
        // §7.1.2.2: an offer may carry it without a value; a response must give one.
        if (value === true) {
          if (role === 'response') return `Invalid value for parameter "${name}": a response must give a value`;
          clientMaxWindowBits = true;
          break;
        }
        const bits = parseWindowBits(value);
        if (bits === undefined) return `Invalid value for parameter "${name}": ${value}`;
        clientMaxWindowBits = bits;
        break;
      }
      default:
        return `Unknown parameter "${name}"`;
    }
  }
  return { serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits };
}

/** Writes parameters in the RFC's order, as an offer or a response. */
export function formatDeflateParams(params: DeflateParams): ExtensionParam[] {
  const out: ExtensionParam[] = [];
  if (params.serverNoContextTakeover) out.push(['server_no_context_takeover', true]);
  if (params.clientNoContextTakeover) out.push(['client_no_context_takeover', true]);
  if (params.serverMaxWindowBits !== undefined) out.push(['server_max_window_bits', String(params.serverMaxWindowBits)]);
  if (params.clientMaxWindowBits !== undefined) {
    out.push(['client_max_window_bits', params.clientMaxWindowBits === true ? true : String(params.clientMaxWindowBits)]);
  }
  return out;
}
