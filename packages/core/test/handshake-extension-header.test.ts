import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  formatExtensionHeader,
  parseExtensionHeader,
  parseTokenList,
  type ExtensionOffer,
} from '../src/index.js';
import { expectLinearWork } from './work-counter.js';

describe('parseTokenList (RFC 9110 §5.6.1)', () => {
  it('splits on commas with optional whitespace', () => {
    expect(parseTokenList('keep-alive, Upgrade')).toEqual(['keep-alive', 'Upgrade']);
    expect(parseTokenList('a,b\t,  c')).toEqual(['a', 'b', 'c']);
    expect(parseTokenList('Upgrade')).toEqual(['Upgrade']);
  });
  it('skips empty elements, as recipients must', () => {
    expect(parseTokenList('')).toEqual([]);
    expect(parseTokenList(' , a,, b ,')).toEqual(['a', 'b']);
  });
  it('returns null for anything that is not a token', () => {
    for (const bad of ['a b', 'a;b', 'a/1', '"a"', 'a,(b)', 'ä', 'a=b', 'a\r\n']) expect(parseTokenList(bad), bad).toBeNull();
  });
});

describe('parseExtensionHeader (RFC 6455 §9.1)', () => {
  it('parses names, valueless params, token and quoted values', () => {
    expect(
      parseExtensionHeader('permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-foo; a="1"'),
    ).toEqual([
      {
        name: 'permessage-deflate',
        params: [
          ['client_max_window_bits', true],
          ['server_max_window_bits', '10'],
        ],
      },
      { name: 'x-foo', params: [['a', '1']] },
    ]);
  });
  it('allows whitespace around ";", "," and "="', () => {
    expect(parseExtensionHeader(' a ;\tb = 1 ;c= "2" ,d ')).toEqual([
      {
        name: 'a',
        params: [
          ['b', '1'],
          ['c', '2'],
        ],
      },
      { name: 'd', params: [] },
    ]);
  });
  it('unescapes quoted-pairs in quoted values', () => {
    expect(parseExtensionHeader('a; b="x\\y\\-z"')).toEqual([{ name: 'a', params: [['b', 'xy-z']] }]);
  });
  it('keeps repeated names and params in order (their meaning is the factory\'s business)', () => {
    expect(parseExtensionHeader('a; x=1; x=2, a, b')).toEqual([
      {
        name: 'a',
        params: [
          ['x', '1'],
          ['x', '2'],
        ],
      },
      { name: 'a', params: [] },
      { name: 'b', params: [] },
    ]);
  });
  it('parses repeated header fields joined with ", " as one list, skipping empty elements', () => {
    expect(parseExtensionHeader('a, , b,')).toEqual([
      { name: 'a', params: [] },
      { name: 'b', params: [] },
    ]);
    expect(parseExtensionHeader('')).toEqual([]);
  });
  it('returns null for malformed headers', () => {
    const bad = [
      ';',
      'a;',
      'a; ;b',
      'a b',
      'a; b c',
      'a; b=',
      'a; b= ;',
      'a; =1',
      'a; b=1=2',
      'a; b="unterminated',
      'a; b="x" y',
      'a; b="two words"', // §9.1: a quoted value must be a token once unescaped
      'a; b=""',
      'a; b="x\\',
      'a; b="\u0001"',
      'a; b="é"',
      '"a"',
      'a; b=(c)',
      'a; b=1 c',
      'a,; b',
      'ä',
      'a; b=x\u0100',
    ];
    for (const value of bad) expect(parseExtensionHeader(value), JSON.stringify(value)).toBeNull();
  });
});

describe('parseExtensionHeader does linear work (ws CVE-2021-32640 was a ReDoS here)', () => {
  // Work is counted, not timed (see work-counter.ts): a backtracking or rescanning parser does
  // work growing with the square of these inputs, so its work per character grows with size.
  const pathological: Array<[string, (n: number) => string]> = [
    ['"a;" repeated', (n) => 'a;'.repeat(n / 2)],
    ['"a; b" repeated', (n) => 'a; b'.repeat(n / 4)],
    ['spaces then junk', (n) => `a${' '.repeat(n)}!`],
    ['spaces between params', (n) => `a;${' '.repeat(n)}b${' '.repeat(n)}=`],
    ['unterminated quote', (n) => `a; b="${'x'.repeat(n)}`],
    ['escaped quotes', (n) => `a; b="${'\\"'.repeat(n / 2)}`],
    ['commas and spaces', (n) => ', '.repeat(n / 2) + ';'],
    ['many params', (n) => 'a' + '; b=c'.repeat(n / 5) + ' d'],
  ];
  for (const [name, make] of pathological) {
    it(`${name}: at most 8 steps per character, from 10 KB to 160 KB`, () => {
      expectLinearWork(make, (input) => parseExtensionHeader(input), 8);
    });
  }
  it('parseTokenList: at most 4 steps per character', () => {
    expectLinearWork((n) => `${' ,\t'.repeat(n / 3)}upgrade`, (input) => parseTokenList(input), 4);
  });
});

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
const offer: fc.Arbitrary<ExtensionOffer> = fc.record({
  name: token,
  params: fc.array(fc.tuple(token, fc.oneof(token, fc.constant(true as const))), { maxLength: 4 }),
});

describe('formatExtensionHeader', () => {
  it('writes "name; param; param=value, other"', () => {
    expect(
      formatExtensionHeader([
        { name: 'permessage-deflate', params: [['client_max_window_bits', true], ['server_max_window_bits', '10']] },
        { name: 'x', params: [] },
      ]),
    ).toBe('permessage-deflate; client_max_window_bits; server_max_window_bits=10, x');
  });
  it('round-trips through parseExtensionHeader', () => {
    fc.assert(
      fc.property(fc.array(offer, { minLength: 0, maxLength: 5 }), (offers) => {
        expect(parseExtensionHeader(formatExtensionHeader(offers))).toEqual(offers);
      }),
      { numRuns: 500 },
    );
  });
  it('throws InvalidArgumentError for names or values that are not tokens (local misuse)', () => {
    expect(() => formatExtensionHeader([{ name: 'a b', params: [] }])).toThrow(InvalidArgumentError);
    expect(() => formatExtensionHeader([{ name: 'a', params: [['b c', true]] }])).toThrow(InvalidArgumentError);
    expect(() => formatExtensionHeader([{ name: 'a', params: [['b', 'x, y']] }])).toThrow(InvalidArgumentError);
  });
});

describe('the parsers never throw on arbitrary input', () => {
  it('parseExtensionHeader and parseTokenList on arbitrary strings', () => {
    const alphabet = fc.constantFrom(...'ab=;,"\\ \t\r\n!é\u0000'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 })), (value) => {
        const offers = parseExtensionHeader(value);
        if (offers !== null) {
          // Whatever parses is made of tokens, so it formats and parses back the same.
          expect(parseExtensionHeader(formatExtensionHeader(offers))).toEqual(offers);
        }
        const tokens = parseTokenList(value);
        if (tokens !== null) expect(parseTokenList(tokens.join(', '))).toEqual(tokens);
      }),
      { numRuns: 2000 },
    );
  });
});
