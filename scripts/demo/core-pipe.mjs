// The Quick start demo: a client and a server @sansock/core Connection talking over an
// in-memory pipe, printing every frame that crosses it. No sockets: this is the sans-IO core.
import { Connection, DONE, NEED_DATA, PENDING } from '@sansock/core';

const client = new Connection({ role: 'client' });
const server = new Connection({ role: 'server' });

const hex = (bytes) => Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim();
const opcodes = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

function describe(bytes) {
  const opcode = bytes[0] & 0x0f;
  const fin = (bytes[0] & 0x80) !== 0;
  const masked = (bytes[1] & 0x80) !== 0;
  const shown = bytes.length > 24 ? `${hex(bytes.subarray(0, 24))} …` : hex(bytes);
  return `${opcodes[opcode] ?? opcode}${fin ? '' : ' (fin=0)'}${masked ? ' masked' : ''}, ${bytes.length} bytes: ${shown}`;
}

/** Moves output from one side to the other and prints the frames and the events they cause. */
function pump(from, to, name, peerName) {
  let moved = false;
  for (const chunk of from.takeOutput()) {
    console.log(`${name} -> ${peerName}  ${describe(chunk)}`);
    to.receiveData(chunk);
    moved = true;
  }
  return moved;
}

/** Prints one side's events; returns whether there were any. The server echoes every message. */
function drain(conn, name, peer) {
  let any = false;
  for (;;) {
    const event = conn.nextEvent();
    if (event === NEED_DATA || event === PENDING || event === DONE) return any;
    any = true;
    const { type, ...rest } = event;
    if (rest.data instanceof Uint8Array) rest.data = rest.binary ? hex(rest.data) : new TextDecoder().decode(rest.data);
    if (rest.error) rest.error = rest.error.message;
    console.log(`  ${name} event: ${type} ${JSON.stringify(rest)}`);
    if (type === 'message' && name === 'server') server.send(`echo: ${rest.data}`);
    // The in-memory "TCP" closes for both ends at once, after the pending output is written.
    if (type === 'close-transport') {
      if (conn === server) pump(server, client, 'server', 'client');
      else pump(client, server, 'client', 'server');
      conn.receiveData(null);
      peer.receiveData(null);
    }
  }
}

function run() {
  for (let busy = true; busy; ) {
    const moved = pump(client, server, 'client', 'server') | pump(server, client, 'server', 'client');
    const happened = drain(server, 'server', client) | drain(client, 'client', server);
    busy = Boolean(moved | happened);
  }
}

client.send('Hello');
client.send(new Uint8Array([1, 2, 3]));
client.ping('are you there?');
client.send('Hel', { fin: false });
client.send('lo, fragments', { fin: true });
client.close(1000, 'done');
run();
