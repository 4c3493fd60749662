// Config for the long fuzz run only (fuzz/bin/fuzz.mjs): same source aliases as the root config,
// but it collects fuzz/long/*.fuzz.ts, which the normal test run never does.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const minutes = Number(process.env.SANSOCK_FUZZ_MINUTES ?? '1');

export default defineConfig({
  root: src('..'),
  resolve: {
    alias: {
      '@sansock/core/driver': src('../packages/core/src/driver/index.ts'),
      '@sansock/core': src('../packages/core/src/index.ts'),
      '@sansock/node': src('../packages/node-adapter/src/index.ts'),
    },
  },
  test: {
    include: ['fuzz/long/**/*.fuzz.ts'],
    testTimeout: Math.ceil(minutes * 60_000 * 1.5) + 300_000,
    pool: 'forks',
  },
});
