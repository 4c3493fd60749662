import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the protocol (`@sansock/core`) and the adapters' lifecycle (`@sansock/core/driver`).
  entry: { index: 'src/index.ts', driver: 'src/driver/index.ts' },
  format: ['esm', 'cjs'],
  // Shared code in shared chunks, in CommonJS too: the driver compares the core's NEED_DATA /
  // PENDING / DONE symbols by identity, so both entries must load the same copy.
  splitting: true,
  dts: true,
  // No source maps: the package does not ship the sources they would point at.
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
});
