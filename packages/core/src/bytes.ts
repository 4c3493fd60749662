/** Byte helpers shared by the codecs. Plain Uint8Array only: the core uses no runtime's byte type. */

export const EMPTY = new Uint8Array(0);

/**
 * Stands for "no chunks" wherever a list of byte arrays is usually empty (a receive queue, a
 * message's pieces, frames waiting to be written), so an idle connection holds no array of its
 * own. Frozen: a push into it fails loudly instead of reaching every holder. Never hand it out.
 */
export const NO_CHUNKS: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];

/**
 * Makes an array the caller fills completely before anyone reads it, so it may hold anything to
 * begin with: a runtime that can hand out uninitialised memory skips the zero-fill.
 */
export type Allocate = (length: number) => Uint8Array;

/** The portable default: a zero-filled array. */
export const newBytes: Allocate = (length) => new Uint8Array(length);

/** Requests up to this size are carved from a shared slab; larger ones get their own array. */
const SLAB_SIZE = 64 * 1024;
export const SLAB_MAX_REQUEST = 4096;
let slabBuffer: ArrayBufferLike = new ArrayBuffer(SLAB_SIZE);
/** Where the next view starts in slabBuffer, and where the slab ends in it. */
let slabOffset = 0;
let slabEnd = SLAB_SIZE;

/**
 * A fresh array of `length` bytes for the caller to fill completely. Small arrays are views
 * into a shared slab, as runtimes pool their own small byte arrays: allocating a typed array
 * costs far more than a view (measured in bench/), and a slab is never reused, only dropped when
 * full, so no view is ever overwritten. The price: a small live view keeps its 64 KiB slab
 * alive, so this is for short-lived bytes (frames on their way to the transport), not for what
 * the application keeps. Start offsets are 8-byte aligned so callers can use word views.
 * Larger arrays, and the slabs themselves, come from `allocate`: callers write every byte, so
 * neither needs zero-filling (a zero-filled slab cost 9 % of building 64 B frames, in page faults).
 */
export function allocateBytes(length: number, allocate: Allocate = newBytes): Uint8Array {
  if (length > SLAB_MAX_REQUEST) return allocate(length);
  if (slabOffset + length > slabEnd) {
    const fresh = allocate(SLAB_SIZE);
    slabBuffer = fresh.buffer;
    slabOffset = (fresh.byteOffset + 7) & ~7;
    slabEnd = fresh.byteOffset + fresh.length;
  }
  // A view made from the buffer is ~30 % cheaper than `subarray` (measured), and this runs per frame.
  const view = new Uint8Array(slabBuffer, slabOffset, length);
  slabOffset = (slabOffset + length + 7) & ~7;
  return view;
}

/** Joins chunks into one array; returns the only chunk itself when there is one (no copy). */
export function concatBytes(chunks: readonly Uint8Array[], totalLength?: number, allocate: Allocate = newBytes): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return EMPTY;
  let length = totalLength ?? 0;
  if (totalLength === undefined) for (const chunk of chunks) length += chunk.length;
  // Not from the slab: messages go to the application, which may keep them for long.
  const out = allocate(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const encoder = new TextEncoder();
export const utf8Encode = (text: string): Uint8Array => encoder.encode(text);

/** Decodes bytes already known to be valid UTF-8. */
const decoder = new TextDecoder();
export const utf8Decode = (bytes: Uint8Array): string => decoder.decode(bytes);
