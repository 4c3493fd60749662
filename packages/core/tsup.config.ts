import { copyFile, mkdir } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  // The protocol (`@sansock/core`), the adapters' lifecycle (`@sansock/core/driver`), and the
  // layers under the protocol for those who embed them (`/frames`, `/deflate`).
  // `/testing` holds probes for test suites and fuzzers.
  entry: { index: 'src/index.ts', driver: 'src/driver/index.ts', frames: 'src/frames.ts', deflate: 'src/deflate.ts', testing: 'src/testing.ts' },
  format: ['esm', 'cjs'],
  // Shared code in shared chunks, in CommonJS too: the driver compares the core's NEED_DATA /
  // PENDING / DONE symbols by identity, so all entries must load the same copy.
  splitting: true,
  // Bundled by rollup after esbuild. Without it tsup splits CommonJS with sucrase, which rewrites
  // every `?.` and `??` into helper calls that allocate closures, on the hot paths too; Node
  // loads the CommonJS build for `import` as well (src/node/*.mjs), so it must be as fast.
  treeshake: true,
  dts: true,
  // No source maps: the package does not ship the sources they would point at.
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  onSuccess: async () => {
    await mkdir('dist/node', { recursive: true });
    for (const entry of ['index', 'driver', 'frames', 'deflate', 'testing']) await copyFile(`src/node/${entry}.mjs`, `dist/node/${entry}.mjs`);
  },
});
