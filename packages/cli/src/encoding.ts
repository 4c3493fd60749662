/** How binary payloads are shown and typed: hex or base64. */
export type BinaryEncoding = 'hex' | 'base64';

export function encodeBinary(data: Buffer, encoding: BinaryEncoding): string {
  return data.toString(encoding);
}

/** Decodes user input; throws a readable Error for malformed input (Buffer.from would silently truncate). */
export function decodeBinary(text: string, encoding: BinaryEncoding): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (encoding === 'hex') {
    if (compact.length % 2 !== 0 || !/^[\da-f]*$/i.test(compact)) throw new Error(`not hex: ${text}`);
    return Buffer.from(compact, 'hex');
  }
  if (!/^[A-Za-z\d+/_-]*={0,2}$/.test(compact)) throw new Error(`not base64: ${text}`);
  return Buffer.from(compact, 'base64');
}

/** ws hands binary data as a Buffer, an ArrayBuffer or a list of Buffers depending on binaryType. */
export function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** A received payload as the CLI prints it. */
export function toPayload(data: Buffer, binary: boolean, encoding: BinaryEncoding): { data: string; binary: boolean; encoding?: BinaryEncoding } {
  return binary ? { data: encodeBinary(data, encoding), binary, encoding } : { data: data.toString('utf8'), binary };
}
