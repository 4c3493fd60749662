#!/usr/bin/env node
/**
 * Heap bytes per idle Connection: builds N connections, keeps them, and reports the growth of
 * `heapUsed` per connection after full GCs. Each variant runs in its own process so code and
 * feedback from one does not land in another's numbers.
 *
 *   pnpm --filter @sansock/core build && node bench/core-connection-heap.mjs [N]
 *
 * MEASURE_CORE=/path/to/bundle.mjs measures another build of the core instead (to compare two).
 *
 * Variants:
 *   bare      new Connection({ role: 'server' }), never used
 *   bare+used the same, then fed one masked text frame, events drained, one reply sent, output taken
 *   node      the options @sansock/node passes (maxPayload, skipUTF8Validation, autoPong: false,
 *             nativeMask, nativeUtf8Check, extensions: [], onWake: undefined)
 *   node+used the same, used as above
 *   client    new Connection({ role: 'client' }) (used: fed an unmasked frame; its reply is masked)
 */
import { spawnSync } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import { fileURLToPath, pathToFileURL } from 'node:url';

const VARIANTS = ['bare', 'bare+used', 'node', 'node+used', 'client', 'client+used'];
const count = Number(process.argv[2] ?? 10_000);

if (process.argv[3] === undefined) {
  // Parent: one child per variant.
  for (const variant of VARIANTS) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), String(count), variant], {
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      process.exit(1);
    }
    process.stdout.write(child.stdout);
  }
  process.exit(0);
}

const variant = process.argv[3];
const coreUrl = process.env.MEASURE_CORE ? pathToFileURL(process.env.MEASURE_CORE).href : new URL('../packages/core/dist/index.js', import.meta.url).href;
const { Connection, NEED_DATA } = await import(coreUrl);

// Shared by every connection, as the node adapter's accelerators are.
const nativeMask = (source, key, target, offset, length) => {
  for (let i = 0; i < length; i++) target[offset + i] = source[i] ^ key[i & 3];
};
const allocate = (length) => new Uint8Array(length);
const nodeOptions = {
  role: 'server',
  maxPayload: 100 * 1024 * 1024,
  skipUTF8Validation: false,
  autoPong: false,
  nativeMask,
  nativeUtf8Check: isUtf8,
  allocate,
  extensions: [],
  onWake: undefined,
};
const options = variant.startsWith('node') ? nodeOptions : { role: variant.startsWith('client') ? 'client' : 'server' };
const used = variant.endsWith('+used');

/** A text frame "hello" (RFC 6455 §5.7), masked for a server, fresh each time: the parser unmasks in place. */
const hello = (role) =>
  role === 'server'
    ? Uint8Array.of(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58)
    : Uint8Array.of(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);

function use(connection) {
  connection.receiveData(hello(connection.role));
  let event;
  while ((event = connection.nextEvent()) !== NEED_DATA) {
    if (event.type !== 'message') throw new Error(`unexpected event ${event.type}`);
  }
  connection.send('hi');
  connection.takeOutput();
}

function settle() {
  for (let i = 0; i < 6; i++) globalThis.gc();
}

// Warm up the code paths (and their allocation sites) outside the measured region.
for (let i = 0; i < 2000; i++) {
  const c = new Connection(options);
  if (used) use(c);
}

const kept = new Array(count).fill(null);
settle();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < count; i++) {
  const c = new Connection(options);
  if (used) use(c);
  kept[i] = c;
}
settle();
const after = process.memoryUsage().heapUsed;
const perConnection = (after - before) / count;
console.log(`${variant.padEnd(10)} ${perConnection.toFixed(0).padStart(5)} B per connection (${count} kept)`);
if (kept.length !== count) throw new Error('unreachable');
