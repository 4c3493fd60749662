import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandshakeError, HttpHeadParser, parseExtensionHeader, parseTokenList, validateClientRequest } from '../src/handshake-api.js';
import { acceptKey, extensionHeader, extensionHeaderHostile, httpHead, httpHeadHostile, serverHandshakeBytes, upgradeRequest } from '../src/properties/handshake.js';
import type { FuzzProperty } from '../src/properties/property.js';
import { runParameters } from '../src/runs.js';

const check = <T>(p: FuzzProperty<T>) => fc.assert(fc.property(p.arbitrary, (input) => p.check(input)), runParameters(p.ciRuns));

describe('handshake parsers on generated and hostile input', () => {
  it('HTTP head: valid heads parse exactly in any chunking, one broken rule gets 400', () => check(httpHead));
  it('HTTP head: arbitrary bytes never throw, answer the same in any chunking, respect the limits', () => check(httpHeadHostile));
  it('Sec-WebSocket-Extensions: offers with OWS, quoting, escapes and empty elements parse back exactly', () => check(extensionHeader));
  it('Sec-WebSocket-Extensions: arbitrary text never throws and yields only tokens', () => check(extensionHeaderHostile));
  it('upgrade request (§4.2.1): valid requests accepted, each single violation rejected with its status', () => check(upgradeRequest));
  it('ServerHandshake over raw bytes in any chunking: the right status, early bytes kept, a 101 with the right accept key', () => check(serverHandshakeBytes));
  it('Sec-WebSocket-Accept: the pure-TS SHA-1 agrees with node:crypto on any key', () => check(acceptKey));
});

/**
 * Linear time. A backtracking regex or a parser that rescans its buffer on every push turns
 * these inputs into minutes of work (ws CVE-2021-32640); a linear one takes milliseconds. The
 * bounds are ~50x what a linear parser needs here, so a loaded CI machine does not flake.
 */
describe('handshake parsers run in linear time on adversarial input', () => {
  const timed = (fn: () => void): number => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };

  it('a 256 KiB head that never ends, pushed one byte at a time', () => {
    const line = new TextEncoder().encode('X-A: b\r\n\r\r\n\ra\n\r');
    const size = 256 * 1024;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = line[i % line.length]!;
    bytes.set(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 0);
    const parser = new HttpHeadParser('request', { maxHeadSize: 1024 * 1024, maxHeaderCount: 1_000_000 });
    let answer: unknown = null;
    const ms = timed(() => {
      for (let i = 0; i < size && answer === null; i++) answer = parser.push(bytes.subarray(i, i + 1));
    });
    expect(answer === null || answer instanceof HandshakeError).toBe(true);
    expect(ms).toBeLessThan(3000);
  });

  it('Sec-WebSocket-Extensions: 200 KB of separators, unterminated quotes and escapes', () => {
    const inputs = [
      'a;'.repeat(100_000),
      `a; b="${'\\"'.repeat(100_000)}`,
      ', '.repeat(100_000) + 'x',
      `a${' ;b=c'.repeat(30_000)}, `.repeat(2),
      `permessage-deflate; ${'client_max_window_bits; '.repeat(8000)}=`,
    ];
    for (const input of inputs) {
      let parsed: unknown;
      const ms = timed(() => {
        parsed = parseExtensionHeader(input);
      });
      expect(parsed === null || Array.isArray(parsed)).toBe(true);
      expect(ms, input.slice(0, 30)).toBeLessThan(1000);
    }
  });

  it('token lists and request validation with 100 KB headers', () => {
    const huge = `${' ,\t'.repeat(30_000)}upgrade`;
    expect(timed(() => parseTokenList(huge))).toBeLessThan(1000);
    const ms = timed(() => {
      const result = validateClientRequest({
        method: 'GET',
        target: '/',
        httpVersion: '1.1',
        headers: [
          ['Upgrade', `${'x, '.repeat(30_000)}websocket`],
          ['Connection', huge],
          ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
          ['Sec-WebSocket-Version', '13'],
          ['Sec-WebSocket-Protocol', `${'a'.repeat(50_000)}, ${Array.from({ length: 10_000 }, (_, i) => `p${i}`).join(' ,')}`],
        ],
      });
      expect(result).not.toBeInstanceOf(HandshakeError);
    });
    expect(ms).toBeLessThan(1000);
  });
});
