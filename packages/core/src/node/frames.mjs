// Node's `import '@sansock/core/frames'` (copied to dist/node/frames.mjs): the CommonJS build,
// re-exported, for the same one-copy reason as ./index.mjs.
export * from '../frames.cjs';
