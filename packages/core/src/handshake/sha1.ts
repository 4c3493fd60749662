/**
 * SHA-1 (FIPS 180-4 §6.1), only for `Sec-WebSocket-Accept` (RFC 6455 §4.2.2): the core has no
 * crypto module to call, and `crypto.subtle.digest` is asynchronous. SHA-1's weaknesses do not
 * matter here: the accept key proves the server read the handshake, it is not a signature.
 */

/** Round constants, FIPS 180-4 §4.2.1. */
const K0 = 0x5a827999;
const K1 = 0x6ed9eba1;
const K2 = 0x8f1bbcdc;
const K3 = 0xca62c1d6;

/**
 * Scratch space reused by every call (sha1 is synchronous): making typed arrays of this size
 * costs more than hashing an accept key, which takes two blocks. Longer messages get their own.
 */
const SCRATCH_BLOCKS = 2;
const scratch = new Uint8Array(SCRATCH_BLOCKS * 64);
const scratchView = new DataView(scratch.buffer);
const w = new Uint32Array(80);

export function sha1(message: Uint8Array): Uint8Array {
  // §5.1.1 padding: the message, a 1 bit, zeros, then the bit length as a 64-bit big-endian
  // integer, to a multiple of 64 bytes.
  const length = message.length;
  const blocks = Math.ceil((length + 9) / 64);
  const size = blocks * 64;
  const own = blocks > SCRATCH_BLOCKS;
  const padded = own ? new Uint8Array(size) : scratch;
  if (!own) padded.fill(0, length, size);
  padded.set(message);
  padded[length] = 0x80;
  const view = own ? new DataView(padded.buffer) : scratchView;
  const bitLength = length * 8;
  view.setUint32(size - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(size - 4, bitLength >>> 0);

  // §5.3.1 initial hash value.
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;

  for (let offset = 0; offset < size; offset += 64) {
    // §6.1.2 step 1: the message schedule.
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4);
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    // Steps 3: 80 rounds with the §4.1.1 functions Ch, Parity, Maj, Parity.
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = K0;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = K1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = K2;
      } else {
        f = b ^ c ^ d;
        k = K3;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }

  const digest = new Uint8Array(20);
  const words = [h0, h1, h2, h3, h4];
  for (let i = 0; i < 5; i++) {
    const word = words[i]!;
    digest[i * 4] = word >>> 24;
    digest[i * 4 + 1] = (word >>> 16) & 0xff;
    digest[i * 4 + 2] = (word >>> 8) & 0xff;
    digest[i * 4 + 3] = word & 0xff;
  }
  return digest;
}
