/** Byte helpers shared by the codecs. Uint8Array only: the core has no Buffer. */

export const EMPTY = new Uint8Array(0);

/** Joins chunks into one array; returns the only chunk itself when there is one (no copy). */
export function concatBytes(chunks: readonly Uint8Array[], totalLength?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return EMPTY;
  let length = totalLength ?? 0;
  if (totalLength === undefined) for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
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
