/** `data` cut at the given sizes; the last part takes the rest (so there is always at least one part). */
export function splitBySizes(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    const end = Math.min(data.length, offset + size);
    parts.push(data.subarray(offset, end));
    offset = end;
  }
  parts.push(data.subarray(offset));
  return parts;
}

