#!/usr/bin/env node
// `pnpm fuzz [--minutes N] [--only <property>]`: random exploration of every fuzz property for
// N minutes (default 1) with fresh seeds. Failing inputs are saved to fuzz/corpus/
// (<property>-<seed>.json) and replayed by the normal test run (fuzz/test/corpus-replay.test.ts).
// Runs the TypeScript properties through vitest with fuzz/vitest.long.config.ts.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fuzzDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const minutes = Number(option('--minutes') ?? '1');
if (!(minutes > 0)) {
  console.error('usage: pnpm fuzz [--minutes N] [--only <property name>]');
  process.exit(2);
}
const only = option('--only') ?? '';
console.log(`fuzzing for ${minutes} minute(s)${only ? ` (properties matching "${only}")` : ''}; counterexamples go to fuzz/corpus/`);
const run = spawnSync('pnpm', ['exec', 'vitest', 'run', '--config', 'fuzz/vitest.long.config.ts'], {
  cwd: join(fuzzDir, '..'),
  stdio: 'inherit',
  env: { ...process.env, SANSOCK_FUZZ_MINUTES: String(minutes), SANSOCK_FUZZ_ONLY: only },
});
process.exit(run.status ?? 1);
