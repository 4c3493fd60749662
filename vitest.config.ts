import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, not dist, so a test never sees a stale build.
    alias: {
      // The sub-path first: an alias also matches what starts with its key and a slash.
      '@sansock/core/driver': src('./packages/core/src/driver/index.ts'),
      '@sansock/core/frames': src('./packages/core/src/frames.ts'),
      '@sansock/core/deflate': src('./packages/core/src/deflate.ts'),
      '@sansock/core/testing': src('./packages/core/src/testing.ts'),
      '@sansock/core': src('./packages/core/src/index.ts'),
      '@sansock/node/websocket-node': src('./packages/node-adapter/src/websocket-node/index.ts'),
      '@sansock/node/faye': src('./packages/node-adapter/src/faye/index.ts'),
      '@sansock/node': src('./packages/node-adapter/src/index.ts'),
      '@sansock/pubsub': src('./packages/pubsub/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'fuzz/test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Deno.test files, run by the real Deno (`pnpm test:deno-adapter`), not by vitest.
    exclude: [...configDefaults.exclude, 'packages/deno-adapter/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for something to happen; its default 1 s is a speed assumption a busy
    // 2-core machine can break. A condition that holds returns at once whatever this is.
    expect: { poll: { timeout: 15_000, interval: 10 } },
    pool: 'forks',
  },
});
