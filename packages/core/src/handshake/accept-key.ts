/** `Sec-WebSocket-Key` and `Sec-WebSocket-Accept` (RFC 6455 §4.1, §4.2.2, §1.3). */
import { cryptoRandomFill, type RandomFill } from '../mask.js';
import { base64DigitValue, base64Encode } from './base64.js';
import { sha1 } from './sha1.js';

/** RFC 6455 §1.3: the GUID appended to the key before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * base64(SHA-1(text)) of an ASCII text: the hash `Sec-WebSocket-Accept` is made of (§4.2.2 step
 * 5.4). The core's own is pure TypeScript (portable); an adapter whose runtime has a native
 * SHA-1 injects one (the Node adapter: `node:crypto`), as it injects `nativeMask`.
 */
export type Sha1Base64 = (ascii: string) => string;

const encoder = new TextEncoder();

/** The portable Sha1Base64 (the default). */
export const pureSha1Base64: Sha1Base64 = (ascii) => base64Encode(sha1(encoder.encode(ascii)));

/** §4.2.2 step 5.4: base64(SHA-1(key + GUID)), with the injected hash if there is one. */
export function computeAcceptKey(key: string, sha1Base64: Sha1Base64 = pureSha1Base64): string {
  return sha1Base64(key + WEBSOCKET_GUID);
}

/** §4.1 item 7: "a randomly selected 16-byte value that has been base64-encoded", fresh per connection. */
export function generateKey(randomFill: RandomFill = cryptoRandomFill): string {
  const nonce = new Uint8Array(16);
  randomFill(nonce);
  return base64Encode(nonce);
}

/**
 * §4.2.1 item 5: the key must decode to 16 bytes. Only the canonical 24-character form is
 * accepted (22 digits, "==", and zero pad bits), which is what every client generates. Checked
 * in place, without decoding: the server does this once per handshake.
 */
export function isValidKey(key: string): boolean {
  if (key.length !== 24 || key.charCodeAt(22) !== 0x3d || key.charCodeAt(23) !== 0x3d) return false;
  for (let i = 0; i < 21; i++) if (base64DigitValue(key.charCodeAt(i)) < 0) return false;
  // 22 digits carry 132 bits: the last digit's low 4 bits are padding and must be zero (RFC 4648 §3.5).
  const last = base64DigitValue(key.charCodeAt(21));
  return last >= 0 && (last & 0x0f) === 0;
}
