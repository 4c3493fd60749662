/**
 * Base64 (RFC 4648 §4), hand-written so decoding can be strict: `atob` accepts whitespace,
 * missing padding and non-zero pad bits, and a WebSocket key must be exactly canonical.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The value (0-63) of a base64 digit's char code, or -1 for anything else. */
export const base64DigitValue = (code: number): number => (code < 128 ? VALUES[code]! : -1);

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + '==';
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Strict decoding: only the canonical encoding is accepted (length a multiple of 4, padding
 * only at the end, unused pad bits zero), so each byte string has exactly one accepted text.
 * Returns null otherwise.
 */
export function base64Decode(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const digits = text.length - padding;
  let bits = 0;
  let bitCount = 0;
  let o = 0;
  for (let i = 0; i < digits; i++) {
    const value = base64DigitValue(text.charCodeAt(i));
    if (value < 0) return null;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[o++] = (bits >>> bitCount) & 0xff;
    }
  }
  // What is left over are the pad bits of the last digit: they must be zero (RFC 4648 §3.5).
  if ((bits & ((1 << bitCount) - 1)) !== 0) return null;
  return out;
}
