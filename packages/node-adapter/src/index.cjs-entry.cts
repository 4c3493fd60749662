/**
 * The CommonJS entry (dist/index.cjs). `require('ws')` returns the WebSocket class itself, so
 * `require('@sansock/node')` does too: code written as `const WebSocket = require('ws')` keeps
 * working with the name swapped. Every named export of the ES module entry is hung on the class
 * as well (WebSocketServer, createWebSocketStream, CloseEvent, ...), and `default` points at the
 * class, so `require(...).X` finds whatever `import { X }` finds, including in code compiled by
 * TypeScript or Babel from `import WebSocket from '@sansock/node'`.
 * Its published typings are the hand-written `index.d.cts`.
 */
// A CommonJS file: `require`, not `import` (which verbatimModuleSyntax would keep as ESM syntax).
const sansock = require('./index.js') as typeof import('./index.js');

module.exports = Object.assign(sansock.default, sansock, { default: sansock.default });
