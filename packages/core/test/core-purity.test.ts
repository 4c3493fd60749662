import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core must run unchanged in Node, Deno, Bun and browsers: no runtime-specific APIs.
const sourceDir = join(import.meta.dirname, '..', 'src');
const forbidden: Array<[string, RegExp]> = [
  ['node:* import', /from\s+['"]node:|import\(\s*['"]node:/],
  ['require()', /\brequire\s*\(/],
  ['Buffer', /\bBuffer\b/],
  ['process', /\bprocess\./],
  ['timers', /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/],
  ['Deno global', /\bDeno\./],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Code without comments, so prose that names these APIs is allowed. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('core purity: packages/core/src uses only standard JS and Web APIs', () => {
  const files = sourceFiles(sourceDir);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const [what, pattern] of forbidden) {
    it(`has no ${what}`, () => {
      const offenders = files.filter((file) => pattern.test(withoutComments(readFileSync(file, 'utf8'))));
      expect(offenders).toEqual([]);
    });
  }
});

describe('core purity: the driver (src/driver) takes time and I/O only from what it is given', () => {
  const files = sourceFiles(join(sourceDir, 'driver'));

  it('finds the driver', () => {
    expect(files.length).toBeGreaterThan(2);
  });

  it('imports only the core itself (relative paths)', () => {
    const offenders = files.filter((file) =>
      [...withoutComments(readFileSync(file, 'utf8')).matchAll(/from\s+['"]([^'"]+)['"]/g)].some(([, spec]) => !spec!.startsWith('.')),
    );
    expect(offenders).toEqual([]);
  });

  it('reads no clock of its own (Date, performance)', () => {
    const offenders = files.filter((file) => /\b(Date\.now|new Date|performance\.)/.test(withoutComments(readFileSync(file, 'utf8'))));
    expect(offenders).toEqual([]);
  });
});
