import { defineConfig } from 'tsup';

export default defineConfig({
  // One executable file: dist/sansock.js, run by the `sansock` bin.
  entry: { sansock: 'src/main.ts' },
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
});
