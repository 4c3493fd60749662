/**
 * Streaming UTF-8 validation (RFC 3629 §4, required by RFC 6455 §8.1 for text messages and
 * close reasons). State carries across calls, so a code point split over frames or TCP chunks
 * validates as if contiguous, and the first invalid byte is reported at once (fail fast, §8.1:
 * "MUST _Fail the WebSocket Connection_" as soon as the data is known to be invalid).
 *
 * Rejected: overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF), code points above
 * U+10FFFF (F4 90.., F5..FF), stray continuation bytes, truncated sequences at the end.
 */

/**
 * Where validation stands between two pieces, packed into one small integer so that a holder
 * (a connection's message reader) keeps a number field instead of an object: the continuation
 * bytes still expected for the current code point (bits 0-1) and the range the next one must
 * fall in (lower bound bits 8-15, upper bound bits 16-23; narrower right after E0, ED, F0, F4).
 */
export type Utf8State = number;

const packState = (need: number, lower: number, upper: number): Utf8State => need | (lower << 8) | (upper << 16);

/** Between code points: where a text starts, and the only state a complete text may end in. */
export const UTF8_BOUNDARY: Utf8State = packState(0, 0x80, 0xbf);
/** A byte was invalid; nothing that follows can make the text valid. */
export const UTF8_INVALID: Utf8State = -1;

/** Validates the next bytes of a text from `state`; the state after them, or UTF8_INVALID. */
export function scanUtf8(bytes: Uint8Array, state: Utf8State): Utf8State {
  if (state === UTF8_INVALID) return UTF8_INVALID;
  let need = state & 0x3;
  let lower = (state >>> 8) & 0xff;
  let upper = state >>> 16;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    if (need === 0) {
      // ASCII runs, 4 bytes per test: most text is mostly ASCII.
      while (i + 4 <= length && ((bytes[i]! | bytes[i + 1]! | bytes[i + 2]! | bytes[i + 3]!) & 0x80) === 0) i += 4;
      if (i === length) break;
    }
    const byte = bytes[i]!;
    if (need === 0) {
      if (byte < 0x80) continue;
      if (byte >= 0xc2 && byte <= 0xdf) {
        need = 1;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        need = 2;
        if (byte === 0xe0) lower = 0xa0; // overlong
        else if (byte === 0xed) upper = 0x9f; // UTF-16 surrogates
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        need = 3;
        if (byte === 0xf0) lower = 0x90; // overlong
        else if (byte === 0xf4) upper = 0x8f; // above U+10FFFF
      } else {
        return UTF8_INVALID;
      }
    } else {
      if (byte < lower || byte > upper) return UTF8_INVALID;
      lower = 0x80;
      upper = 0xbf;
      need--;
    }
  }
  return packState(need, lower, upper);
}

/** `scanUtf8` as an object, for callers that want one: push pieces, then ask `end()`. */
export class Utf8Validator {
  private state: Utf8State = UTF8_BOUNDARY;

  /** Validates the next bytes; false as soon as the sequence so far cannot be valid UTF-8. */
  push(bytes: Uint8Array): boolean {
    this.state = scanUtf8(bytes, this.state);
    return this.state !== UTF8_INVALID;
  }

  /** True when everything pushed so far is complete, valid UTF-8. Resets for the next message. */
  end(): boolean {
    const ok = this.state === UTF8_BOUNDARY;
    this.reset();
    return ok;
  }

  reset(): void {
    this.state = UTF8_BOUNDARY;
  }
}

/** One-shot validation of a complete byte sequence. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return scanUtf8(bytes, UTF8_BOUNDARY) === UTF8_BOUNDARY;
}
