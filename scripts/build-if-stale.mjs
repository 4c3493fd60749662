#!/usr/bin/env node
/**
 * Builds the packages only when a build is missing or older than its sources, so `pnpm demo`
 * starts at once after the first time instead of rebuilding (type declarations included) on
 * every start. `pnpm test` always builds: it must test what the sources say.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['packages/core', 'packages/node-adapter'];

/** The newest modification time of the files under `path` (a file or a directory). */
function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function isStale(pkg) {
  const outputs = ['dist/index.js', 'dist/index.cjs'].map((file) => join(root, pkg, file));
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const inputs = ['src', 'package.json', 'tsup.config.ts'].map((file) => join(root, pkg, file)).filter(existsSync);
  return Math.max(...inputs.map(newest)) > built;
}

const stale = PACKAGES.filter(isStale);
if (stale.length > 0) {
  console.log(`building (${stale.join(', ')} changed since the last build)`);
  const result = spawnSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
