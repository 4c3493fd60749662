/**
 * The CommonJS entry: `require('@sansock/node/websocket-node')` returns exactly WebSocket-Node's
 * module shape, { server, client, router, request, connection, frame, w3cwebsocket,
 * deprecation, version }, with no `default` or extra names.
 */
const entry = require('./index.js') as typeof import('./index.js');

module.exports = entry.default;
