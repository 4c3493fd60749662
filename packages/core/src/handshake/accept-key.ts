/** `Sec-WebSocket-Key` and `Sec-WebSocket-Accept` (RFC 6455 §4.1, §4.2.2, §1.3). */
import { cryptoRandomFill, type RandomFill } from '../mask.js';
import { base64Decode, base64Encode } from './base64.js';
import { sha1 } from './sha1.js';

/** RFC 6455 §1.3: the GUID appended to the key before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const encoder = new TextEncoder();

/** §4.2.2 step 5.4: base64(SHA-1(key + GUID)). */
export function computeAcceptKey(key: string): string {
  return base64Encode(sha1(encoder.encode(key + WEBSOCKET_GUID)));
}

/** §4.1 item 7: "a randomly selected 16-byte value that has been base64-encoded", fresh per connection. */
export function generateKey(randomFill: RandomFill = cryptoRandomFill): string {
  const nonce = new Uint8Array(16);
  randomFill(nonce);
  return base64Encode(nonce);
}

/**
 * §4.2.1 item 5: the key must decode to 16 bytes. Only the canonical 24-character form is
 * accepted (so 22 digits, "==", and zero pad bits), which is what every client generates.
 */
export function isValidKey(key: string): boolean {
  return key.length === 24 && base64Decode(key)?.length === 16;
}
