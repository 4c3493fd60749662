/**
 * The CommonJS entry (dist/index.cjs), the one build of the library: `require('ws')` returns
 * the WebSocket class itself, so `require('@sansock/node')` does too, and code written as
 * `const WebSocket = require('ws')` keeps working with the name swapped. index.ts hangs every
 * named export on the class, and `default` points at the class, so `require(...).X` finds
 * whatever `import { X }` finds, including in code compiled by TypeScript or Babel from
 * `import WebSocket from '@sansock/node'`. The ES module entry (dist/index.js) is a thin wrapper
 * over this file. Its published typings are the hand-written `index.d.cts`.
 */
// A CommonJS file: `require`, not `import` (which verbatimModuleSyntax would keep as ESM syntax).
const sansock = require('./index.js') as typeof import('./index.js');

module.exports = sansock.default;
