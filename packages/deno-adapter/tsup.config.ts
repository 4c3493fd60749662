import { defineConfig } from 'tsup';

export default defineConfig({
  // For npm (Deno runs src/ directly, see deno.json). ES modules only: Deno has no require().
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  // Not tsconfig.json: Deno reads that file too, and these Node types are for the npm build only.
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  platform: 'neutral',
  // node:zlib is Deno's own (its Node compatibility layer), never bundled.
  external: ['node:zlib'],
});
