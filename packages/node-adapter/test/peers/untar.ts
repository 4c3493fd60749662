/**
 * Extracts the regular files of an in-memory ustar archive (enough for the shared libraries in
 * @sparticuz/chromium's al2023.tar.br; tar-fs is its dependency, not ours).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const BLOCK = 512;

export function untar(archive: Uint8Array, into: string): void {
  const text = (start: number, length: number): string => {
    const field = Buffer.from(archive.buffer, archive.byteOffset + start, length).toString('latin1');
    const nul = field.indexOf('\0');
    return nul < 0 ? field : field.slice(0, nul);
  };
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const name = text(offset, 100);
    if (name === '') break; // the two zero blocks that end the archive
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1);
    const prefix = text(offset + 345, 155);
    const path = normalize(prefix ? `${prefix}/${name}` : name);
    if (path.startsWith('..') || path.startsWith('/')) throw new Error(`unsafe path in archive: ${path}`);
    if (type === '0' || type === '') {
      const target = join(into, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, archive.subarray(offset + BLOCK, offset + BLOCK + size), { mode: 0o755 });
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
}
