/**
 * Streaming UTF-8 validation (RFC 3629 §4, required by RFC 6455 §8.1 for text messages and
 * close reasons). State carries across `push` calls, so a code point split over frames or TCP
 * chunks validates as if contiguous, and the first invalid byte is reported at once (fail fast,
 * §8.1: "MUST _Fail the WebSocket Connection_" as soon as the data is known to be invalid).
 *
 * Rejected: overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF), code points above
 * U+10FFFF (F4 90.., F5..FF), stray continuation bytes, truncated sequences at the end.
 */
export class Utf8Validator {
  /** Continuation bytes still expected for the current code point. */
  private need = 0;
  /** Allowed range of the next continuation byte (narrower right after E0, ED, F0, F4). */
  private lower = 0x80;
  private upper = 0xbf;
  private failed = false;

  /** Validates the next bytes; false as soon as the sequence so far cannot be valid UTF-8. */
  push(bytes: Uint8Array): boolean {
    if (this.failed) return false;
    let need = this.need;
    let lower = this.lower;
    let upper = this.upper;
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
          return this.fail();
        }
      } else {
        if (byte < lower || byte > upper) return this.fail();
        lower = 0x80;
        upper = 0xbf;
        need--;
      }
    }
    this.need = need;
    this.lower = lower;
    this.upper = upper;
    return true;
  }

  /** True when everything pushed so far is complete, valid UTF-8. Resets for the next message. */
  end(): boolean {
    const ok = !this.failed && this.need === 0;
    this.reset();
    return ok;
  }

  reset(): void {
    this.need = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
    this.failed = false;
  }

  private fail(): false {
    this.failed = true;
    return false;
  }
}

/** One-shot validation of a complete byte sequence. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const validator = new Utf8Validator();
  return validator.push(bytes) && validator.end();
}
