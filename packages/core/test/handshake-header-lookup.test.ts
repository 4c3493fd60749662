/**
 * The handshake's allocation-light reading of a request (issue 21): HeaderList over a flat raw
 * list, case-insensitive name matching, the in-place `Connection` token check, the in-place key
 * check and the HTTP version check must decide exactly what the general code decides.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode } from '../src/handshake/base64.js';
import { equalsIgnoringCase } from '../src/handshake/header-list.js';
import { tokenListIncludes } from '../src/handshake/tokens.js';
import { HandshakeError, HeaderList, isValidKey, parseTokenList, validateClientRequest } from '../src/index.js';

const RFC_RAW = [
  'Host', 'server.example.com',
  'Upgrade', 'websocket',
  'Connection', 'Upgrade',
  'Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==',
  'Origin', 'http://example.com',
  'Sec-WebSocket-Protocol', 'chat, superchat',
  'Sec-WebSocket-Version', '13',
];

describe('HeaderList.fromRaw (Node rawHeaders)', () => {
  it('reads the flat list like the same fields given as pairs', () => {
    const raw = ['A', '1', 'b', '2', 'a', '3'];
    const list = HeaderList.fromRaw(raw);
    expect(list.get('a')).toBe('1, 3');
    expect(list.get('B')).toBe('2');
    expect(list.has('c')).toBe(false);
    expect(list.entries()).toEqual([
      ['A', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
  });
  it('counts only the first maxFields fields (a server that cuts its header count)', () => {
    const list = HeaderList.fromRaw(['a', '1', 'b', '2', 'a', '3'], 2);
    expect(list.get('a')).toBe('1');
    expect(list.has('b')).toBe(true);
    expect(list.entries()).toHaveLength(2);
    expect(HeaderList.fromRaw(['a', '1'], 0).has('a')).toBe(false);
  });
  it('validates the RFC 6455 §1.3 request as the pairs form does', () => {
    const fromRaw = validateClientRequest({ method: 'GET', target: '/chat', httpVersion: '1.1', headers: HeaderList.fromRaw(RFC_RAW) });
    expect(fromRaw).not.toBeInstanceOf(HandshakeError);
    if (fromRaw instanceof HandshakeError) return;
    expect(fromRaw.key).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(fromRaw.protocols).toEqual(['chat', 'superchat']);
    expect(fromRaw.origin).toBe('http://example.com');
    expect(fromRaw.headers.get('HOST')).toBe('server.example.com');
  });
  it('finds a field exactly when the lower-cased names match (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9@\[`{_-]{1,6}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 4 })), { maxLength: 8 }), name, (pairs, wanted) => {
        const values = pairs.filter(([n]) => n.toLowerCase() === wanted.toLowerCase()).map(([, v]) => v);
        const list = HeaderList.fromRaw(pairs.flat());
        expect(list.get(wanted)).toBe(values.length === 0 ? undefined : values.join(', '));
        expect(HeaderList.from(pairs).get(wanted)).toBe(list.get(wanted));
        expect(equalsIgnoringCase(wanted, wanted.toUpperCase())).toBe(wanted.toLowerCase() === wanted.toUpperCase().toLowerCase());
      }),
    );
  });
  it('does not fold characters that are not letters ("@" and "`", "[" and "{")', () => {
    expect(equalsIgnoringCase('@', '`')).toBe(false);
    expect(equalsIgnoringCase('[', '{')).toBe(false);
    expect(equalsIgnoringCase('Sec-WebSocket-Key', 'sec-websocket-key')).toBe(true);
  });
});

describe('tokenListIncludes (the Connection check)', () => {
  it('agrees with parseTokenList + a case-insensitive search (property)', () => {
    const piece = fc.constantFrom('Upgrade', 'upgrade', 'UPGRADE', 'keep-alive', 'close', ' ', '\t', ',', 'upgrade2', 'up grade', '"', ';');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const value = pieces.join('');
        const tokens = parseTokenList(value);
        const expected = tokens !== null && tokens.some((token) => token.toLowerCase() === 'upgrade');
        expect(tokenListIncludes(value, 'upgrade')).toBe(expected);
      }),
    );
  });
});

describe('isValidKey (checked in place)', () => {
  it('accepts exactly the 24-character canonical base64 of 16 bytes (property)', () => {
    const digit = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ !é'.split(''));
    fc.assert(
      fc.property(fc.array(digit, { minLength: 20, maxLength: 26 }), (chars) => {
        const key = chars.join('');
        expect(isValidKey(key)).toBe(key.length === 24 && base64Decode(key)?.length === 16);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(isValidKey(Buffer.from(bytes).toString('base64'))).toBe(true);
      }),
    );
  });
});

describe('HTTP version (§4.2.1 item 1: HTTP/1.1 or higher)', () => {
  const decide = (httpVersion: string): boolean =>
    !(validateClientRequest({ method: 'GET', target: '/', httpVersion, headers: HeaderList.fromRaw(RFC_RAW) }) instanceof HandshakeError);
  it('accepts 1.1 and above, in both spellings, and nothing else', () => {
    for (const version of ['1.1', '1.2', '2.0', '3.0', 'HTTP/1.1', 'HTTP/2.0']) expect(decide(version), version).toBe(true);
    for (const version of ['1.0', '0.9', 'HTTP/1.0', '', 'x', '1', '11', '1.1 ', '1,1', 'HTTP/1.10', 'http/1.1', '1.a', ':.1', '1./']) {
      expect(decide(version), version).toBe(false);
    }
  });
});
