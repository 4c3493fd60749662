/**
 * The vitest config for `pnpm test:bun`: the root config, run by Bun instead of Node.
 *
 * Bun replaces the bare specifier `ws` with its own built-in implementation (on uWebSockets),
 * even when the npm package is installed. The interop tests are meant to talk to the real `ws`
 * package, so `ws` is aliased to the installed package's file, which Bun then loads as plain
 * JavaScript over its node:http/node:net.
 */
import { realpathSync } from 'node:fs';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Resolved from the node adapter, whose devDependency ws is; a real path, not "ws".
const wsEntry = realpathSync(new URL('./packages/node-adapter/node_modules/ws/index.js', import.meta.url));

export default mergeConfig(
  base,
  defineConfig({
    resolve: { alias: { ws: wsEntry } },
  }),
);
