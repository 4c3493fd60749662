// Node's `import '@sansock/core/driver'` (copied to dist/node/driver.mjs): the CommonJS build,
// re-exported, for the same one-copy reason as ./index.mjs.
export * from '../driver.cjs';
