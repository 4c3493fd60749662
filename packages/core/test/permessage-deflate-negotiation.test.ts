/**
 * permessage-deflate negotiation (RFC 7692 §7.1): the client's offer, the server's choice among
 * offers and its response, and the client's checks of that response. Offers and responses are
 * written as header text and parsed by the core's own header parser.
 */
import { describe, expect, it } from 'vitest';
import {
  type DeflateNegotiationOptions,
  type ExtensionOffer,
  InvalidArgumentError,
  PerMessageDeflate,
  createPerMessageDeflate,
  formatExtensionHeader,
  negotiateExtensions,
  parseExtensionHeader,
  pureDeflateCodec,
} from '../src/index.js';

const parse = (header: string): ExtensionOffer[] => {
  const offers = parseExtensionHeader(header);
  if (offers === null) throw new Error(`unparsable: ${header}`);
  return offers;
};

const server = (options: DeflateNegotiationOptions = {}) => createPerMessageDeflate({ ...options, role: 'server' }, pureDeflateCodec);
const client = (options: DeflateNegotiationOptions = {}) => createPerMessageDeflate({ ...options, role: 'client' }, pureDeflateCodec);

/** The server's response header to an offer header, or null if it declined every offer. */
function respond(offerHeader: string, options: DeflateNegotiationOptions = {}): string | null {
  const accepted = server(options).accept(parse(offerHeader));
  return accepted === null ? null : formatExtensionHeader([accepted.response]);
}

/** The client's verdict on a response header: 'ok' or the reason it fails the connection. */
function confirm(responseHeader: string, options: DeflateNegotiationOptions = {}): string {
  const factory = client(options);
  factory.offers();
  const result = factory.confirm(parse(responseHeader)[0]!);
  return typeof result === 'string' ? result : 'ok';
}

describe('client offer', () => {
  it.each<[DeflateNegotiationOptions, string]>([
    [{}, 'permessage-deflate; client_max_window_bits'],
    [{ clientMaxWindowBits: false }, 'permessage-deflate'],
    [{ clientMaxWindowBits: 10 }, 'permessage-deflate; client_max_window_bits=10'],
    [{ serverMaxWindowBits: 9 }, 'permessage-deflate; server_max_window_bits=9; client_max_window_bits'],
    // §7.1.2.1: server_max_window_bits needs a value, so `true` offers nothing.
    [{ serverMaxWindowBits: true }, 'permessage-deflate; client_max_window_bits'],
    [
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 12, clientMaxWindowBits: 8 },
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=8',
    ],
  ])('%j offers %s', (options, header) => {
    expect(formatExtensionHeader(client(options).offers())).toBe(header);
  });

  it('rejects invalid options with InvalidArgumentError', () => {
    for (const bad of [7, 16, 9.5, Number.NaN]) {
      expect(() => client({ clientMaxWindowBits: bad })).toThrow(InvalidArgumentError);
      expect(() => server({ serverMaxWindowBits: bad })).toThrow(InvalidArgumentError);
    }
    expect(() => client({ threshold: -1 })).toThrow(InvalidArgumentError);
  });

  it('a factory only does its own role', () => {
    expect(() => server().offers()).toThrow(InvalidArgumentError);
    expect(() => client().accept([])).toThrow(InvalidArgumentError);
    expect(() => server().confirm({ name: 'permessage-deflate', params: [] })).toThrow(InvalidArgumentError);
  });
});

describe('server: which offer, which response (default options)', () => {
  it.each<[string, string | null]>([
    ['permessage-deflate', 'permessage-deflate'],
    // The bare client_max_window_bits only says "you may limit me": not echoed.
    ['permessage-deflate; client_max_window_bits', 'permessage-deflate'],
    ['permessage-deflate; client_max_window_bits=10', 'permessage-deflate; client_max_window_bits=10'],
    ['permessage-deflate; server_max_window_bits=10', 'permessage-deflate; server_max_window_bits=10'],
    ['permessage-deflate; server_max_window_bits="10"', 'permessage-deflate; server_max_window_bits=10'],
    ['permessage-deflate; server_no_context_takeover', 'permessage-deflate; server_no_context_takeover'],
    ['permessage-deflate; client_no_context_takeover', 'permessage-deflate; client_no_context_takeover'],
    // §7.1: invalid offers are declined, and the next acceptable one is taken.
    ['permessage-deflate; foo, permessage-deflate; server_max_window_bits=9', 'permessage-deflate; server_max_window_bits=9'],
    ['permessage-deflate; server_no_context_takeover; server_no_context_takeover, permessage-deflate', 'permessage-deflate'],
    ['permessage-deflate; server_max_window_bits, permessage-deflate', 'permessage-deflate'],
    ['permessage-deflate; server_max_window_bits=7', null],
    ['permessage-deflate; server_max_window_bits=16', null],
    ['permessage-deflate; server_max_window_bits=08', null],
    ['permessage-deflate; server_max_window_bits=abc', null],
    ['permessage-deflate; client_max_window_bits=7', null],
    ['permessage-deflate; client_max_window_bits=1.5', null],
    ['permessage-deflate; server_no_context_takeover=1', null],
    ['permessage-deflate; client_no_context_takeover=true', null],
    ['permessage-deflate; client_max_window_bits=10; client_max_window_bits=11', null],
    ['permessage-deflate; x-unknown=1', null],
  ])('offer %s → %s', (offer, response) => {
    expect(respond(offer)).toBe(response);
  });

  it('every combination of the four parameters is accepted and answered as RFC 7692 says', () => {
    const windows = [undefined, 8, 9, 10, 11, 12, 13, 14, 15] as const;
    let combinations = 0;
    for (const snct of [false, true])
      for (const cnct of [false, true])
        for (const smwb of windows)
          for (const cmwb of [...windows, 'bare'] as const) {
            const params = ['permessage-deflate'];
            if (snct) params.push('server_no_context_takeover');
            if (cnct) params.push('client_no_context_takeover');
            if (smwb !== undefined) params.push(`server_max_window_bits=${smwb}`);
            if (cmwb === 'bare') params.push('client_max_window_bits');
            else if (cmwb !== undefined) params.push(`client_max_window_bits=${cmwb}`);
            const expected = [...params];
            if (cmwb === 'bare') expected.pop(); // a bare client_max_window_bits is not echoed
            expect(respond(params.join('; '))).toBe(expected.join('; '));
            combinations++;
          }
    expect(combinations).toBe(2 * 2 * 9 * 10);
  });
});

describe('server options', () => {
  it.each<[DeflateNegotiationOptions, string, string | null]>([
    [{ serverNoContextTakeover: true }, 'permessage-deflate', 'permessage-deflate; server_no_context_takeover'],
    [{ clientNoContextTakeover: true }, 'permessage-deflate', 'permessage-deflate; client_no_context_takeover'],
    // false refuses an offer that asks for it, and takes the next.
    [{ serverNoContextTakeover: false }, 'permessage-deflate; server_no_context_takeover', null],
    [{ serverNoContextTakeover: false }, 'permessage-deflate; server_no_context_takeover, permessage-deflate', 'permessage-deflate'],
    [{ serverMaxWindowBits: 10 }, 'permessage-deflate', 'permessage-deflate; server_max_window_bits=10'],
    [{ serverMaxWindowBits: 10 }, 'permessage-deflate; server_max_window_bits=12', 'permessage-deflate; server_max_window_bits=10'],
    [{ serverMaxWindowBits: 10 }, 'permessage-deflate; server_max_window_bits=9', 'permessage-deflate; server_max_window_bits=9'],
    [{ serverMaxWindowBits: false }, 'permessage-deflate; server_max_window_bits=9', null],
    [{ serverMaxWindowBits: false }, 'permessage-deflate', 'permessage-deflate'],
    // client_max_window_bits may be answered only if offered (§7.1.2.2).
    [{ clientMaxWindowBits: 10 }, 'permessage-deflate', null],
    [{ clientMaxWindowBits: 10 }, 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_max_window_bits=10'],
    [{ clientMaxWindowBits: 10 }, 'permessage-deflate; client_max_window_bits=9', 'permessage-deflate; client_max_window_bits=9'],
    [{ clientMaxWindowBits: 10 }, 'permessage-deflate; client_max_window_bits=12', 'permessage-deflate; client_max_window_bits=10'],
    [{ clientMaxWindowBits: false }, 'permessage-deflate; client_max_window_bits=12', 'permessage-deflate'],
    [
      { clientMaxWindowBits: 10 },
      'permessage-deflate; server_no_context_takeover, permessage-deflate; client_max_window_bits',
      'permessage-deflate; client_max_window_bits=10',
    ],
  ])('%j: offer %s → %s', (options, offer, response) => {
    expect(respond(offer, options)).toBe(response);
  });

  it('through the core handshake negotiation, the first acceptable offer wins and others are ignored', () => {
    const result = negotiateExtensions(
      parse('x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=16, permessage-deflate; client_max_window_bits; server_max_window_bits=11'),
      [server({ clientMaxWindowBits: 9 })],
    );
    if ('code' in result) throw result;
    expect(result.header).toBe('permessage-deflate; server_max_window_bits=11; client_max_window_bits=9');
    expect(result.extensions).toHaveLength(1);
    expect(result.extensions[0]).toBeInstanceOf(PerMessageDeflate);
    expect((result.extensions[0] as PerMessageDeflate).params.clientMaxWindowBits).toBe(9);
  });
});

describe('client: checking the response (a string = fail the connection)', () => {
  it.each<[string, DeflateNegotiationOptions, string]>([
    ['permessage-deflate', {}, 'ok'],
    ['permessage-deflate; server_no_context_takeover', {}, 'ok'],
    ['permessage-deflate; client_no_context_takeover', {}, 'ok'],
    ['permessage-deflate; server_max_window_bits=8', {}, 'ok'],
    ['permessage-deflate; client_max_window_bits=8', {}, 'ok'],
    ['permessage-deflate; client_max_window_bits="15"', {}, 'ok'],
    ['permessage-deflate; server_max_window_bits=10', { serverMaxWindowBits: 10 }, 'ok'],
    ['permessage-deflate; server_max_window_bits=9', { serverMaxWindowBits: 10 }, 'ok'],
    ['permessage-deflate; client_max_window_bits=9', { clientMaxWindowBits: 10 }, 'ok'],
    ['permessage-deflate; foo', {}, 'Unknown parameter "foo"'],
    ['permessage-deflate; server_no_context_takeover; server_no_context_takeover', {}, 'Parameter "server_no_context_takeover" must have only a single value'],
    ['permessage-deflate; client_max_window_bits', {}, 'Invalid value for parameter "client_max_window_bits": a response must give a value'],
    ['permessage-deflate; server_max_window_bits', {}, 'Invalid value for parameter "server_max_window_bits": true'],
    ['permessage-deflate; server_max_window_bits=16', {}, 'Invalid value for parameter "server_max_window_bits": 16'],
    ['permessage-deflate; server_no_context_takeover=yes', {}, 'Invalid value for parameter "server_no_context_takeover": yes'],
    ['permessage-deflate; client_max_window_bits=10', { clientMaxWindowBits: false }, 'Unexpected parameter "client_max_window_bits"'],
    ['permessage-deflate; client_max_window_bits=11', { clientMaxWindowBits: 10 }, 'Parameter "client_max_window_bits" is larger than offered: 11 > 10'],
    ['permessage-deflate; server_max_window_bits=11', { serverMaxWindowBits: 10 }, 'Parameter "server_max_window_bits" is larger than requested: 11 > 10'],
    ['permessage-deflate', { serverMaxWindowBits: 10 }, 'Missing parameter "server_max_window_bits"'],
    ['permessage-deflate; client_no_context_takeover', { clientNoContextTakeover: false }, 'Unexpected parameter "client_no_context_takeover"'],
    ['x-other', {}, 'Unexpected extension "x-other"'],
  ])('%s with %j → %s', (response, options, verdict) => {
    expect(confirm(response, options)).toBe(verdict);
  });

  it('every combination of the four parameters in a response: accepted unless it breaks the offer', () => {
    const windows = [undefined, 8, 9, 10, 11, 12, 13, 14, 15] as const;
    let checked = 0;
    for (const snct of [false, true])
      for (const cnct of [false, true])
        for (const smwb of windows)
          for (const cmwb of windows) {
            const params = ['permessage-deflate'];
            if (snct) params.push('server_no_context_takeover');
            if (cnct) params.push('client_no_context_takeover');
            if (smwb !== undefined) params.push(`server_max_window_bits=${smwb}`);
            if (cmwb !== undefined) params.push(`client_max_window_bits=${cmwb}`);
            const header = params.join('; ');
            // The default offer has a bare client_max_window_bits: anything valid is fine.
            expect(confirm(header)).toBe('ok');
            // Without client_max_window_bits in the offer, the server must not send it (§7.1.2.2).
            expect(confirm(header, { clientMaxWindowBits: false })).toBe(cmwb === undefined ? 'ok' : 'Unexpected parameter "client_max_window_bits"');
            // Having asked for server_max_window_bits=11, the answer must be there and at most 11 (§7.1.2.1).
            const verdict = confirm(header, { serverMaxWindowBits: 11 });
            if (smwb === undefined) expect(verdict).toBe('Missing parameter "server_max_window_bits"');
            else expect(verdict === 'ok').toBe(smwb <= 11);
            checked++;
          }
    expect(checked).toBe(2 * 2 * 9 * 9);
  });

  it('what each side agreed on: windows and context takeover', () => {
    const factory = client({ clientMaxWindowBits: 12, clientNoContextTakeover: true });
    factory.offers();
    const extension = factory.confirm(parse('permessage-deflate; server_no_context_takeover; server_max_window_bits=10')[0]!);
    expect(extension).toBeInstanceOf(PerMessageDeflate);
    expect((extension as PerMessageDeflate).params).toEqual({
      serverNoContextTakeover: true,
      clientNoContextTakeover: false,
      serverMaxWindowBits: 10,
      clientMaxWindowBits: undefined,
    });
  });
});
