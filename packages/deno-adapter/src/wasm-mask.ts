/**
 * A faster XOR for RFC 6455 §5.3 masking, as the core's `nativeMask` hook: WebAssembly SIMD,
 * 16 bytes per instruction, where the core's portable loop does 4 (Deno has no native helper
 * like Node's bufferutil). Payloads are copied into the module's memory in 256 KiB blocks,
 * XORed there, and copied to the target: three fast passes instead of one slow one. Measured
 * under Deno 2.9: 1 MiB 7.5-8.2 GB/s against the core's 3.4-3.7; from 64 B (the shortest run
 * the core hands a native mask) it is as fast or faster (64 B: 91 against 249 ns).
 */
import type { NativeMask } from '@sansock/core';

/**
 * The module, hand-assembled (it is 108 bytes): memory of 4 pages (256 KiB), and
 * xor(ptr, len, key) = for each 16-byte block of [ptr, ptr + (len & ~15)): block ^= i32x4.splat(key).
 *   (func (param $p i32) (param $n i32) (param $k i32) (local $end i32) (local $kv v128)
 *     (local.set $kv (i32x4.splat (local.get $k)))
 *     (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -16))))
 *     (block (loop
 *       (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *       (v128.store (local.get $p) (v128.xor (v128.load (local.get $p)) (local.get $kv)))
 *       (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *       (br 0))))
 */
const MODULE =
  'AGFzbQEAAAABBwFgA39/fwADAgEABQMBAAQHEAIGbWVtb3J5AgADeG9yAAAKPgE8AgF/AXsgAv0RIQQgACABQXBxaiEDAkADQCAAIANPDQEgACAA/QAAACAE/VH9CwAAIABBEGohAAwACwsL';
const BLOCK = 256 * 1024;

function decode(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The SIMD mask, or undefined where WebAssembly SIMD is unavailable (the core's loop is used then). */
export function createWasmMask(): NativeMask | undefined {
  let xor: (pointer: number, length: number, key: number) => void;
  let memory: Uint8Array;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(MODULE) as Uint8Array<ArrayBuffer>));
    xor = instance.exports.xor as typeof xor;
    memory = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
  } catch {
    return undefined;
  }
  return (source, key, target, targetOffset, length) => {
    // Little-endian: key[0] is the lowest byte, so the word XORs key[i & 3] into byte i.
    const word = key[0]! | (key[1]! << 8) | (key[2]! << 16) | (key[3]! << 24);
    // Blocks are multiples of 16 (and so of 4): the key phase is the same at each block's start.
    for (let offset = 0; offset < length; offset += BLOCK) {
      const size = Math.min(BLOCK, length - offset);
      memory.set(source.subarray(offset, offset + size));
      xor(0, size, word);
      for (let i = size & ~15; i < size; i++) memory[i]! ^= key[i & 3]!;
      target.set(memory.subarray(0, size), targetOffset + offset);
    }
  };
}
