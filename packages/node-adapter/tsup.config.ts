import { rmSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig(() => {
  // The builds below run at the same time, and tsup's `clean` (the d.ts step's too) would
  // delete another build's output: clean once, here, before any starts.
  rmSync('dist', { recursive: true, force: true });
  // No source maps anywhere: the package does not ship the sources they would point at.
  return [
    {
      // The library itself, once: dist/index.cjs, whose module.exports is the WebSocket class
      // (like `ws`), typed by the hand-written src/index.d.cts (`export = WebSocket`, on top of
      // dist/index.d.ts).
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
    {
      // @sansock/node/faye, the faye-websocket drop-in: dist/faye.js + dist/faye.d.ts, and
      // dist/faye.cjs whose module.exports is its WebSocket class (typed by src/faye/index.d.cts).
      entry: { faye: 'src/faye/index.ts' },
      format: ['esm'],
      dts: true,
      target: 'es2022',
      platform: 'node',
    },
    {
      entry: { faye: 'src/faye/cjs-entry.cts' },
      format: ['cjs'],
      target: 'es2022',
      platform: 'node',
      shims: true,
      // The typings import './index.js' (src/faye/index.ts here); in dist that is faye.d.ts.
      onSuccess: async () => {
        const typings = await readFile('src/faye/index.d.cts', 'utf8');
        await writeFile('dist/faye.d.cts', typings.replaceAll("'./index.js'", "'./faye.js'"));
      },
    },
    {
      // @sansock/node/websocket-node (a drop-in for the `websocket` package), ES module.
      entry: { 'websocket-node': 'src/websocket-node/index.ts' },
      format: ['esm'],
      dts: true,
      target: 'es2022',
      platform: 'node',
    },
    {
      // Its CommonJS build, whose module.exports is WebSocket-Node's module object; typed by
      // the hand-written src/websocket-node/index.d.cts.
      entry: { 'websocket-node': 'src/websocket-node/index.cjs-entry.cts' },
      format: ['cjs'],
      target: 'es2022',
      platform: 'node',
      shims: true,
      onSuccess: () => copyFile('src/websocket-node/index.d.cts', 'dist/websocket-node.d.cts'),
    },
  ];
});
