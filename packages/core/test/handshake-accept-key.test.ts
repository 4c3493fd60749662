import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../src/handshake/base64.js';
import { sha1 } from '../src/handshake/sha1.js';
import { WEBSOCKET_GUID, computeAcceptKey, generateKey, isValidKey, pureSha1Base64 } from '../src/index.js';

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SHA-1 (FIPS 180 test vectors)', () => {
  it('"abc"', () => {
    expect(hexOf(sha1(ascii('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
  it('the empty string', () => {
    expect(hexOf(sha1(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
  it('the 448-bit message (padding spills into a second block)', () => {
    expect(hexOf(sha1(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
  });
  it('one million "a"', () => {
    expect(hexOf(sha1(new Uint8Array(1_000_000).fill(0x61)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });
  it('agrees with node:crypto at every length around the block boundaries, and on random input', () => {
    for (let length = 0; length <= 130; length++) {
      const data = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      expect(hexOf(sha1(data))).toBe(createHash('sha1').update(data).digest('hex'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(hexOf(sha1(data))).toBe(createHash('sha1').update(data).digest('hex'));
      }),
    );
  });
});

describe('base64', () => {
  it('encodes like RFC 4648 §10', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base64Encode(ascii(plain))).toBe(encoded);
      expect(base64Decode(encoded)).toEqual(ascii(plain));
    }
  });
  it('round-trips arbitrary bytes and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (data) => {
        const encoded = base64Encode(data);
        expect(encoded).toBe(Buffer.from(data).toString('base64'));
        expect(base64Decode(encoded)).toEqual(data);
      }),
    );
  });
  it('rejects non-canonical or malformed text', () => {
    for (const bad of ['Zg', 'Zg=', 'Zh==', 'Zm9=', 'Z===', '====', 'Zm 9v', 'Zm9v\n', 'Zg==Zg==', 'Zm-v', 'Zm_v', 'Zm9vé']) {
      expect(base64Decode(bad), bad).toBeNull();
    }
  });
});

describe('Sec-WebSocket-Accept (RFC 6455 §1.3, §4.2.2)', () => {
  it('computes the §1.3 example', () => {
    expect(WEBSOCKET_GUID).toBe('258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
  it('agrees with node:crypto on random keys', () => {
    for (let i = 0; i < 50; i++) {
      const key = randomBytes(16).toString('base64');
      expect(computeAcceptKey(key)).toBe(createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64'));
    }
  });
  it('hashes key + GUID with an injected SHA-1 when given one (what adapters pass)', () => {
    const seen: string[] = [];
    const injected = (text: string): string => {
      seen.push(text);
      return createHash('sha1').update(text, 'latin1').digest('base64');
    };
    expect(computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ==', injected)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(seen).toEqual([`dGhlIHNhbXBsZSBub25jZQ==${WEBSOCKET_GUID}`]);
  });
  it('the pure Sha1Base64 agrees with node:crypto on any ASCII text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 200 }), (text) => {
        expect(pureSha1Base64(text)).toBe(createHash('sha1').update(text, 'latin1').digest('base64'));
      }),
    );
  });
});

describe('Sec-WebSocket-Key', () => {
  it('generateKey encodes 16 bytes from the injected random source', () => {
    const key = generateKey((target) => target.set(ascii('the sample nonce')));
    expect(key).toBe('dGhlIHNhbXBsZSBub25jZQ==');
  });
  it('generateKey is fresh each time with the default (crypto) source', () => {
    const keys = new Set(Array.from({ length: 20 }, () => generateKey()));
    expect(keys.size).toBe(20);
    for (const key of keys) expect(isValidKey(key)).toBe(true);
  });
  it('isValidKey accepts only canonical base64 of exactly 16 bytes', () => {
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe(true);
    expect(isValidKey('AAAAAAAAAAAAAAAAAAAAAA==')).toBe(true);
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZR==')).toBe(false); // non-zero pad bits
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ')).toBe(false); // no padding
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ=')).toBe(false);
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZXh4')).toBe(false); // 18 bytes, 24 chars
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==')).toBe(false);
    expect(isValidKey('')).toBe(false);
    expect(isValidKey('dGhlIHNhbXBsZSBub25j!Q==')).toBe(false);
  });
});
