// Node's `import '@sansock/core'` (copied to dist/node/index.mjs by tsup.config.ts): the
// CommonJS build, re-exported, so that `import` and `require` in one Node process share one copy
// of the core (`err instanceof ProtocolError` holds whichever way each side loaded it, and
// @sansock/node, which is CommonJS inside, shares it with your ES modules). Browsers, Deno and
// bundlers targeting them get the ES module build (dist/index.js).
export * from '../index.cjs';
