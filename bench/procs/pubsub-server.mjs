// One server process of bench/pubsub.mjs: every client joins room 'bench'; what a client sends
// is published to the room (locally only with bus 'none', else through Redis or NATS).
// Usage: node pubsub-server.mjs none|redis|nats [bus port]. Prints {"port": N} when ready.
import { WebSocketServer } from '@sansock/node';
import { PubSub, natsBus, redisBus } from '@sansock/pubsub';

const [kind, busPort] = process.argv.slice(2);

async function makeBus() {
  if (kind === 'none') return undefined;
  if (kind === 'redis') {
    const { Redis } = await import('ioredis');
    const options = { host: '127.0.0.1', port: Number(busPort) };
    return redisBus({ publisher: new Redis({ ...options, enableOfflineQueue: false }), subscriber: new Redis(options) });
  }
  const { connect } = await import('nats');
  return natsBus({ connection: await connect({ servers: `127.0.0.1:${busPort}` }) });
}

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
const listening = new Promise((resolve) => wss.once('listening', resolve));
const pubsub = new PubSub({ server: wss, bus: await makeBus() });
await pubsub.whenReady();
wss.on('connection', (ws) => {
  ws.subscribe('bench');
  ws.on('message', (data, isBinary) => pubsub.publish('bench', data, { binary: isBinary }));
});
await listening;
process.stdout.write(`${JSON.stringify({ port: wss.address().port })}\n`);
