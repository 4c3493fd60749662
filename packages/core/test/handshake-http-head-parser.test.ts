import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HandshakeError,
  HttpHeadParser,
  InvalidStateError,
  type HandshakeErrorCode,
  type HttpRequestHead,
  type HttpResponseHead,
} from '../src/index.js';
import { concat } from './helpers.js';
import { expectLinearWork } from './work-counter.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

const rfcRequest =
  'GET /chat HTTP/1.1\r\n' +
  'Host: server.example.com\r\n' +
  'Upgrade: websocket\r\n' +
  'Connection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
  'Origin: http://example.com\r\n' +
  'Sec-WebSocket-Protocol: chat, superchat\r\n' +
  'Sec-WebSocket-Version: 13\r\n' +
  '\r\n';

const expectedRequest: HttpRequestHead = {
  kind: 'request',
  method: 'GET',
  target: '/chat',
  httpVersion: '1.1',
  headers: [
    ['Host', 'server.example.com'],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ['Origin', 'http://example.com'],
    ['Sec-WebSocket-Protocol', 'chat, superchat'],
    ['Sec-WebSocket-Version', '13'],
  ],
};

/** A masked client text frame "Hello" (RFC 6455 §5.7) that arrives in the same chunk as the head. */
const frame = Uint8Array.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);

type Outcome<K extends 'request' | 'response'> = {
  result: (K extends 'request' ? HttpRequestHead : HttpResponseHead) | HandshakeError | null;
  rest: number[];
  pushes: number;
};

/** Feeds `chunks` until the parser answers; returns the answer and the rest (including later chunks). */
function feed<K extends 'request' | 'response'>(kind: K, chunks: Uint8Array[], limits = {}): Outcome<K> {
  const parser = new HttpHeadParser(kind, limits);
  for (let i = 0; i < chunks.length; i++) {
    const result = parser.push(chunks[i]!);
    if (result !== null) {
      const rest = result instanceof HandshakeError ? [] : [...parser.rest, ...chunks.slice(i + 1).flatMap((c) => [...c])];
      return { result, rest, pushes: i + 1 };
    }
  }
  return { result: null, rest: [], pushes: chunks.length };
}

function expectError(result: unknown, status: number, code: HandshakeErrorCode): void {
  expect(result).toBeInstanceOf(HandshakeError);
  expect((result as HandshakeError).status).toBe(status);
  expect((result as HandshakeError).code).toBe(code);
}

describe('HttpHeadParser: requests', () => {
  it('parses the RFC 6455 §1.3 request', () => {
    expect(feed('request', [latin1(rfcRequest)]).result).toEqual(expectedRequest);
  });

  it('gives the same head and rest for every split point of head + frame', () => {
    const whole = concat(latin1(rfcRequest), frame);
    for (let at = 0; at <= whole.length; at++) {
      const outcome = feed('request', [whole.subarray(0, at), whole.subarray(at)]);
      expect(outcome.result, `split at ${at}`).toEqual(expectedRequest);
      expect(outcome.rest, `split at ${at}`).toEqual([...frame]);
    }
  });

  it('gives the same head fed one byte at a time, answering on the last byte of the head', () => {
    const whole = concat(latin1(rfcRequest), frame);
    const outcome = feed('request', [...whole].map((b) => Uint8Array.of(b)));
    expect(outcome.result).toEqual(expectedRequest);
    expect(outcome.pushes).toBe(rfcRequest.length);
    expect(outcome.rest).toEqual([...frame]);
  });

  it('gives the same head for random chunkings (fast-check)', () => {
    const whole = concat(latin1(rfcRequest), frame);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: whole.length - 1 }), { maxLength: 20 }), (cuts) => {
        const sorted = [0, ...cuts.sort((a, b) => a - b), whole.length];
        const chunks = sorted.slice(1).map((end, i) => whole.subarray(sorted[i], end));
        const outcome = feed('request', chunks);
        expect(outcome.result).toEqual(expectedRequest);
        expect(outcome.rest).toEqual([...frame]);
      }),
    );
  });

  it('hands out the rest as a view of the pushed chunk, not a copy', () => {
    const chunk = concat(latin1(rfcRequest), frame);
    const parser = new HttpHeadParser('request');
    parser.push(chunk);
    expect(parser.rest.buffer).toBe(chunk.buffer);
    expect(parser.rest.byteOffset).toBe(rfcRequest.length);
    expect(parser.rest.length).toBe(frame.length);
  });

  it('has an empty rest when the head ends the chunk', () => {
    const parser = new HttpHeadParser('request');
    parser.push(latin1(rfcRequest));
    expect(parser.rest.length).toBe(0);
  });

  it('accepts bare LF line endings (RFC 9112 §2.2 allows it)', () => {
    const outcome = feed('request', [concat(latin1(rfcRequest.replaceAll('\r\n', '\n')), frame)]);
    expect(outcome.result).toEqual(expectedRequest);
    expect(outcome.rest).toEqual([...frame]);
    const mixed = feed('request', [latin1('GET / HTTP/1.1\nA: 1\r\nB: 2\n\r\n')]);
    expect((mixed.result as HttpRequestHead).headers).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
  });

  it('trims optional whitespace around values and keeps obs-text bytes as latin1', () => {
    const head = feed('request', [latin1('GET / HTTP/1.1\r\nA:   x y \t\r\nB:\r\nC: caf\u00e9\u00ff\r\n\r\n')]).result;
    expect((head as HttpRequestHead).headers).toEqual([
      ['A', 'x y'],
      ['B', ''],
      ['C', 'caf\u00e9\u00ff'],
    ]);
  });

  it('ignores empty lines before the request line (RFC 9112 §2.2)', () => {
    expect(feed('request', [latin1(`\r\n${rfcRequest}`)]).result).toEqual(expectedRequest);
  });

  const malformed: Array<[string, string]> = [
    ['obs-fold with a space', 'GET / HTTP/1.1\r\nA: 1\r\n 2\r\n\r\n'],
    ['obs-fold with a tab', 'GET / HTTP/1.1\r\nA: 1\r\n\t2\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nA : 1\r\n\r\n'],
    ['a line without a colon', 'GET / HTTP/1.1\r\nA\r\n\r\n'],
    ['an empty header name', 'GET / HTTP/1.1\r\n: 1\r\n\r\n'],
    ['a non-token header name', 'GET / HTTP/1.1\r\nA(b): 1\r\n\r\n'],
    ['a bare CR in a value', 'GET / HTTP/1.1\r\nA: 1\r2\r\n\r\n'],
    ['a NUL in a value', 'GET / HTTP/1.1\r\nA: 1\u00002\r\n\r\n'],
    ['a request line with two spaces', 'GET  / HTTP/1.1\r\n\r\n'],
    ['a request line without a version', 'GET /\r\n\r\n'],
    ['a bad version', 'GET / HTTP/1.x\r\n\r\n'],
    ['a lower-case protocol name', 'GET / http/1.1\r\n\r\n'],
    ['a non-token method', 'G(T / HTTP/1.1\r\n\r\n'],
    ['a target with a control', 'GET /\u0001 HTTP/1.1\r\n\r\n'],
    ['only empty lines', '\r\n\r\n'],
  ];
  for (const [name, text] of malformed) {
    it(`rejects ${name} with 400`, () => {
      expectError(feed('request', [latin1(text)]).result, 400, 'WS_ERR_MALFORMED_HTTP');
    });
  }

  it('latches an error: later pushes get the same error', () => {
    const parser = new HttpHeadParser('request');
    const first = parser.push(latin1('GET / HTTP/1.1\r\n x\r\n\r\n'));
    expect(first).toBeInstanceOf(HandshakeError);
    expect(parser.push(latin1('GET / HTTP/1.1\r\n\r\n'))).toBe(first);
  });

  it('throws InvalidStateError when pushed to after it returned a head', () => {
    const parser = new HttpHeadParser('request');
    parser.push(latin1(rfcRequest));
    expect(() => parser.push(frame)).toThrow(InvalidStateError);
  });
});

describe('HttpHeadParser: responses', () => {
  const rfcResponse =
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
    'Sec-WebSocket-Protocol: chat\r\n' +
    '\r\n';
  const expected: HttpResponseHead = {
    kind: 'response',
    httpVersion: '1.1',
    status: 101,
    reason: 'Switching Protocols',
    headers: [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
      ['Sec-WebSocket-Protocol', 'chat'],
    ],
  };

  it('parses the RFC 6455 §1.3 response at every split point, keeping a server frame after it', () => {
    const serverFrame = Uint8Array.of(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    const whole = concat(latin1(rfcResponse), serverFrame);
    for (let at = 0; at <= whole.length; at++) {
      const outcome = feed('response', [whole.subarray(0, at), whole.subarray(at)]);
      expect(outcome.result).toEqual(expected);
      expect(outcome.rest).toEqual([...serverFrame]);
    }
  });

  it('accepts an empty or missing reason phrase', () => {
    expect((feed('response', [latin1('HTTP/1.1 101 \r\n\r\n')]).result as HttpResponseHead).reason).toBe('');
    expect((feed('response', [latin1('HTTP/1.1 404\r\n\r\n')]).result as HttpResponseHead).status).toBe(404);
    expect((feed('response', [latin1('HTTP/1.0 200 Very OK\r\n\r\n')]).result as HttpResponseHead).reason).toBe('Very OK');
  });

  for (const bad of ['HTTP/1.1 10 x', 'HTTP/1.1 1010 x', 'HTTP/1.1 abc x', 'HTTP/1.1  101 x', 'HTTP/1.1', 'HTTP/1.1101', 'HTTP/1.1 101 a\u0001']) {
    it(`rejects the status line ${JSON.stringify(bad)}`, () => {
      expectError(feed('response', [latin1(`${bad}\r\n\r\n`)]).result, 400, 'WS_ERR_MALFORMED_HTTP');
    });
  }
  it('rejects a request line where a status line belongs', () => {
    expectError(feed('response', [latin1(rfcRequest)]).result, 400, 'WS_ERR_MALFORMED_HTTP');
  });
});

describe('HttpHeadParser: limits', () => {
  it('answers 431 as soon as more than maxHeadSize bytes arrive without a complete head', () => {
    const parser = new HttpHeadParser('request', { maxHeadSize: 100 });
    const line = latin1('GET / HTTP/1.1\r\nX-Pad: ');
    expect(parser.push(line)).toBeNull();
    expect(parser.push(new Uint8Array(100 - line.length).fill(0x61))).toBeNull(); // exactly 100: still fine
    expectError(parser.push(Uint8Array.of(0x61)), 431, 'WS_ERR_HEAD_TOO_LARGE');
  });

  it('answers 431 for a complete head longer than maxHeadSize, even in one chunk with frames after it', () => {
    const big = latin1(`GET / HTTP/1.1\r\nX-Pad: ${'a'.repeat(200)}\r\n\r\n`);
    expectError(feed('request', [concat(big, frame)], { maxHeadSize: 100 }).result, 431, 'WS_ERR_HEAD_TOO_LARGE');
    // A head of exactly the limit passes.
    expect(feed('request', [concat(big, frame)], { maxHeadSize: big.length }).result).toMatchObject({ method: 'GET' });
    expectError(feed('request', [big], { maxHeadSize: big.length - 1 }).result, 431, 'WS_ERR_HEAD_TOO_LARGE');
  });

  it('defaults to 16384 bytes, and does not buffer a huge chunk to find out', () => {
    const parser = new HttpHeadParser('request');
    const huge = new Uint8Array(10_000_000).fill(0x61);
    expectError(parser.push(huge), 431, 'WS_ERR_HEAD_TOO_LARGE');
    const fits = latin1(`GET / HTTP/1.1\r\nX-Pad: ${'a'.repeat(16_000)}\r\n\r\n`);
    expect(fits.length).toBeLessThanOrEqual(16384);
    expect(feed('request', [fits]).result).toMatchObject({ method: 'GET' });
  });

  it('answers 431 for more than maxHeaderCount fields (default 100; ws CVE-2024-37890)', () => {
    const head = (count: number): Uint8Array =>
      latin1(`GET / HTTP/1.1\r\n${Array.from({ length: count }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`);
    expect(feed('request', [head(100)]).result).toMatchObject({ method: 'GET' });
    expectError(feed('request', [head(101)]).result, 431, 'WS_ERR_TOO_MANY_HEADERS');
    expectError(feed('request', [head(6)], { maxHeaderCount: 5 }).result, 431, 'WS_ERR_TOO_MANY_HEADERS');
    expect(feed('request', [head(5)], { maxHeaderCount: 5 }).result).toMatchObject({ method: 'GET' });
  });

  it('does not rescan a slow trickle: one byte at a time, the work per byte does not grow with the head', () => {
    // Many short lines, so a parser that searched from the start on every push would do
    // (lines × pushes) work. Work is counted, not timed (work-counter.ts).
    const trickle = (size: number): Uint8Array => latin1(`GET / HTTP/1.1\r\n${'a: b\r\n'.repeat(size / 6)}\r\n`);
    expectLinearWork(trickle, (bytes) => {
      const parser = new HttpHeadParser('request', { maxHeadSize: bytes.length, maxHeaderCount: bytes.length });
      let result = null;
      for (let i = 0; i < bytes.length; i++) result = parser.push(bytes.subarray(i, i + 1));
      expect(result).toMatchObject({ method: 'GET' });
    }, 12);
  });
});

describe('HttpHeadParser never throws on arbitrary bytes', () => {
  it('returns null, a head or a HandshakeError for any input and any chunking', () => {
    const interesting = fc.constantFrom(...'GET / HTTP/1.1\r\n: ab\t'.split('').map((c) => c.charCodeAt(0)), 0x00, 0x80, 0xff);
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(interesting, { maxLength: 300 }).map((a) => Uint8Array.from(a)));
    fc.assert(
      fc.property(fc.constantFrom('request' as const, 'response' as const), bytes, fc.integer({ min: 1, max: 50 }), (kind, data, step) => {
        const parser = new HttpHeadParser(kind, { maxHeadSize: 200, maxHeaderCount: 10 });
        let result: unknown = null;
        for (let i = 0; i < data.length && result === null; i += step) result = parser.push(data.subarray(i, i + step));
        if (result !== null && !(result instanceof HandshakeError)) expect((result as { kind: string }).kind).toBe(kind);
        // The same bytes in one chunk give the same answer.
        const whole = new HttpHeadParser(kind, { maxHeadSize: 200, maxHeaderCount: 10 }).push(data);
        if (result instanceof HandshakeError) expect((whole as HandshakeError).code).toBe(result.code);
        else expect(whole).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });
});
