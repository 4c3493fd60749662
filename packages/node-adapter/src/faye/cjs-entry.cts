/**
 * The CommonJS entry of @sansock/node/faye: `require('faye-websocket')` returns the WebSocket
 * class, so this does too; `default` points at it for code compiled from `import WebSocket from`.
 */
// A CommonJS file: `require`, not `import` (which verbatimModuleSyntax would keep as ESM syntax).
const faye = require('./index.js') as typeof import('./index.js');

module.exports = Object.assign(faye.WebSocket, { default: faye.WebSocket });
