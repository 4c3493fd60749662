// One server of bench/publish-cpu.mjs. Every connection but the pinger (the last to connect)
// joins topic 'room'; each message the pinger sends is fanned out to every connection, by
// `wss.publish` (MODE=publish) or by a loop of `ws.send` over `wss.clients` (MODE=sendloop).
// Commands on stdin ("mark"): answers with the CPU time used and messages fanned out since start.
import { createInterface } from 'node:readline';
import { WebSocketServer } from '@sansock/node';

const mode = process.env.MODE;
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
let fannedOut = 0;
wss.on('connection', (ws) => {
  ws.subscribe('room');
  ws.on('message', (data, isBinary) => {
    fannedOut++;
    if (mode === 'publish') wss.publish('room', data, { binary: isBinary });
    else for (const client of wss.clients) client.send(data, { binary: isBinary });
  });
});
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: wss.address().port })}\n`));
const commands = createInterface({ input: process.stdin });
commands.on('close', () => process.exit(0));
commands.on('line', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system, fannedOut, members: wss.clients.size })}\n`);
});
