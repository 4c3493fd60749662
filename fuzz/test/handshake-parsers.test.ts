import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandshakeError, HttpHeadParser, parseExtensionHeader, parseTokenList, validateClientRequest } from '../src/handshake-api.js';
import { acceptKey, extensionHeader, extensionHeaderHostile, httpHead, httpHeadHostile, serverHandshakeBytes, upgradeRequest } from '../src/properties/handshake.js';
import { countWork } from '../../packages/core/test/work-counter.js';
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
 * Linear work. A backtracking regex or a parser that rescans its buffer on every push turns
 * these inputs into work growing with the square of their size (ws CVE-2021-32640). The work is
 * counted (characters and bytes the parsers look at, see packages/core/test/work-counter.ts),
 * not timed, so the bounds hold on a machine of any speed and load.
 */
describe('handshake parsers do linear work on adversarial input', () => {
  /** Work per input unit: at least 1 (every unit looked at, so the counter sees the parser) and at most `limit`. */
  const expectWorkPerUnit = (units: number, inputLength: number, limit: number, label: string): void => {
    expect(units / inputLength, label).toBeGreaterThanOrEqual(1);
    expect(units / inputLength, label).toBeLessThanOrEqual(limit);
  };

  it('a 256 KiB head that never ends, pushed one byte at a time', () => {
    const line = new TextEncoder().encode('X-A: b\r\n\r\r\n\ra\n\r');
    const size = 256 * 1024;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = line[i % line.length]!;
    bytes.set(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 0);
    const parser = new HttpHeadParser('request', { maxHeadSize: 1024 * 1024, maxHeaderCount: 1_000_000 });
    let answer: unknown = null;
    const units = countWork(() => {
      for (let i = 0; i < size && answer === null; i++) answer = parser.push(bytes.subarray(i, i + 1));
    });
    expect(answer === null || answer instanceof HandshakeError).toBe(true);
    expectWorkPerUnit(units, size, 12, 'bytes examined or copied per byte pushed');
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
      const units = countWork(() => {
        parsed = parseExtensionHeader(input);
      });
      expect(parsed === null || Array.isArray(parsed)).toBe(true);
      expectWorkPerUnit(units, input.length, 8, input.slice(0, 30));
    }
  });

  it('token lists and request validation with 100 KB headers', () => {
    const huge = `${' ,\t'.repeat(30_000)}upgrade`;
    expectWorkPerUnit(
      countWork(() => parseTokenList(huge)),
      huge.length,
      4,
      'parseTokenList',
    );
    const headers: Array<[string, string]> = [
      ['Upgrade', `${'x, '.repeat(30_000)}websocket`],
      ['Connection', huge],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Protocol', `${'a'.repeat(50_000)}, ${Array.from({ length: 10_000 }, (_, i) => `p${i}`).join(' ,')}`],
    ];
    let result: unknown;
    const units = countWork(() => {
      result = validateClientRequest({ method: 'GET', target: '/', httpVersion: '1.1', headers });
    });
    expect(result).not.toBeInstanceOf(HandshakeError);
    const length = headers.reduce((n, [name, value]) => n + name.length + value.length, 0);
    expectWorkPerUnit(units, length, 8, 'validateClientRequest');
  });
});
