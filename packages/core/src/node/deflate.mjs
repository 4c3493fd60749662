// Node's `import '@sansock/core/deflate'` (copied to dist/node/deflate.mjs): the CommonJS build,
// re-exported, for the same one-copy reason as ./index.mjs.
export * from '../deflate.cjs';
