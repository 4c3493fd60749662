// The uWebSockets.js server of bench/publish-cpu.mjs (mode 'uws'), speaking the same protocol as
// publish-cpu-server.mjs: every connection subscribes to 'room', each message is fanned out with
// app.publish. UWS_NODE is the path of µWS's native binary for this Node (e.g. the
// @trufflesuite/uws-js-unofficial package's dist/uws_linux_x64_115.node for Node 20), loaded
// directly so that no JavaScript fallback can stand in for it.
const uws = require(process.env.UWS_NODE);
const { createInterface } = require('node:readline');
let fannedOut = 0;
let members = 0;
const app = uws.App();
app.ws('/*', {
  compression: 0,
  maxPayloadLength: 16 * 1024 * 1024,
  open: (ws) => { ws.subscribe('room'); members++; },
  message: (ws, message, isBinary) => { fannedOut++; app.publish('room', message, isBinary); },
  close: () => { members--; },
});
app.listen('127.0.0.1', 0, (token) => {
  const port = uws.us_socket_local_port(token);
  process.stdout.write(JSON.stringify({ port }) + '\n');
});
const commands = createInterface({ input: process.stdin });
commands.on('close', () => process.exit(0));
commands.on('line', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMicros: user + system, fannedOut, members }) + '\n');
});
