/**
 * The libraries a scenario can run. Socket scenarios load `adapter` (a file in ../adapters)
 * in a child process; `env` is added to that child's environment (both server and client).
 */
export const LIBRARIES = {
  ws: { label: 'ws + bufferutil', adapter: 'ws-api', module: 'ws', env: {} },
  // ws loads bufferutil by itself when it is installed; this variable makes it use its JS masking.
  'ws-nobu': { label: 'ws (no bufferutil)', adapter: 'ws-api', module: 'ws', env: { WS_NO_BUFFER_UTIL: '1' } },
  // @sansock/node has ws's API, so the same adapter drives it.
  sansock: { label: 'sansock', adapter: 'ws-api', module: '@sansock/node', env: {} },
  faye: { label: 'faye-websocket', adapter: 'faye', module: 'faye-websocket', env: {} },
  websocket: { label: 'websocket (WebSocket-Node)', adapter: 'websocket-node', module: 'websocket', env: {} },
  net: { label: 'raw net (ceiling)', adapter: 'net', module: 'node:net', env: {} },
  // uWebSockets.js built for Node 20 (C++, server only): scenario 7; its native binary is
  // loaded directly (adapters/uws.mjs), never the package's JavaScript fallback.
  uws: { label: 'µWS 20.30 (uWebSockets.js)', adapter: 'uws', module: '@trufflesuite/uws-js-unofficial', env: {} },
};

/** Every ratio is taken against this library's median in the same run. */
export const BASELINE = 'ws';

/** The library that marks the ceiling (raw TCP), where a scenario has one. */
export const CEILING = 'net';
