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
