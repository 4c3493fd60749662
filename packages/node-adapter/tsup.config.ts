import { rmSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig(() => {
  // The two builds below run at the same time, and tsup's `clean` (the d.ts step's too) would
  // delete the other build's output: clean once, here, before either starts.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      // The library itself, once: dist/index.cjs, whose module.exports is the WebSocket class
      // (like `ws`), typed by the hand-written src/index.d.cts (`export = WebSocket`, on top of
      // dist/index.d.ts). No source maps: the package does not ship the sources they would
      // point at.
      entry: { index: 'src/index.cjs-entry.cts' },
      format: ['cjs'],
      target: 'es2022',
      platform: 'node',
      // import.meta.url in the CommonJS build (accelerators.ts resolves bufferutil from here).
      shims: true,
      onSuccess: async () => {
        await copyFile('src/index.d.cts', 'dist/index.d.cts');
        // The ES module entry is a thin wrapper over the CommonJS build (one copy of the
        // library whichever way it is loaded), as `ws`'s wrapper.mjs is.
        await copyFile('src/index.esm-wrapper.mjs', 'dist/index.js');
      },
    },
    {
      // The ES module typings only: dist/index.d.ts, generated from src/index.ts.
      entry: { index: 'src/index.ts' },
      format: ['esm'],
      dts: { only: true },
      target: 'es2022',
      platform: 'node',
    },
  ];
});
