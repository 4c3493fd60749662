/**
 * Masking, RFC 6455 §5.3: octet i of the payload is XORed with octet (i mod 4) of the key.
 * Applying the same key twice restores the input.
 */

/**
 * XORs `data` in place with `key`, starting at key position `keyOffset` (so a payload that
 * arrives in pieces can be unmasked piece by piece). Works a 32-bit word at a time where the
 * view is 4-byte aligned, the byte loop elsewhere.
 */
export function applyMask(data: Uint8Array, key: Uint8Array, keyOffset = 0): void {
  const length = data.length;
  let i = 0;
  if (length < 32) {
    // Setting up word views costs more than it saves on short payloads (most control frames).
    for (; i < length; i++) data[i]! ^= key[(keyOffset + i) & 3]!;
    return;
  }
  // Bytes until the view is word-aligned (Uint32Array needs an aligned byteOffset).
  const lead = Math.min(length, (4 - ((data.byteOffset) & 3)) & 3);
  for (; i < lead; i++) data[i]! ^= key[(keyOffset + i) & 3]!;
  const words = (length - i) >>> 2;
  if (words > 0) {
    const k = (keyOffset + i) & 3;
    // The key rotated so its first byte lines up with data[i], read through a Uint32Array in
    // memory order: the data words are read the same way, so the XOR is endianness-agnostic.
    const rotated = new Uint8Array(4);
    rotated[0] = key[k]!;
    rotated[1] = key[(k + 1) & 3]!;
    rotated[2] = key[(k + 2) & 3]!;
    rotated[3] = key[(k + 3) & 3]!;
    const keyWord = new Uint32Array(rotated.buffer)[0]!;
    const view = new Uint32Array(data.buffer, data.byteOffset + i, words);
    for (let w = 0; w < words; w++) view[w]! ^= keyWord;
    i += words << 2;
  }
  for (; i < length; i++) data[i]! ^= key[(keyOffset + i) & 3]!;
}

/** Where masking keys come from. Must be a strong random source (§10.3). */
export type RandomFill = (target: Uint8Array) => void;

export const cryptoRandomFill: RandomFill = (target) => {
  crypto.getRandomValues(target);
};

/**
 * Hands out fresh 4-byte masking keys (§5.3: "a new masking key for each frame") from a pool
 * filled by a strong random source, so the per-frame cost is a subarray, not a system call.
 */
export class MaskKeySource {
  private pool: Uint8Array;
  private offset: number;
  constructor(private readonly fill: RandomFill = cryptoRandomFill, poolSize = 4096) {
    this.pool = new Uint8Array(poolSize);
    this.offset = poolSize;
  }

  next(): Uint8Array {
    if (this.offset + 4 > this.pool.length) {
      // A new array each refill: keys already handed out must not change under their holders.
      this.pool = new Uint8Array(this.pool.length);
      this.fill(this.pool);
      this.offset = 0;
    }
    const key = this.pool.subarray(this.offset, this.offset + 4);
    this.offset += 4;
    return key;
  }
}
