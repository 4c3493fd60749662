// Node's `import '@sansock/core/testing'` (copied to dist/node/testing.mjs): the CommonJS build,
// re-exported, for the same one-copy reason as ./index.mjs.
export * from '../testing.cjs';
