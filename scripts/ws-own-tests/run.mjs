#!/usr/bin/env node
/**
 * Runs `ws`'s own API tests (websocket, websocket-server, create-websocket-stream) against the
 * built @sansock/node, to measure how much of a drop-in it is. Nothing of `ws` is copied into
 * this repository: the tests are taken from a `ws` checkout at run time.
 *
 *   node scripts/ws-own-tests/run.mjs [--ws-repo DIR] [--grep PATTERN] [--list-failures]
 *
 * --ws-repo: a ws checkout (default: extracted from /work/.mirror/websockets+ws/repo, or
 * WS_REPO). Needs mocha: installed once into a cache directory outside the repository.
 * Build first (`pnpm build`): the tests load packages/node-adapter/dist/index.cjs.
 *
 * How the swap works: in a copy of ws's test directory, `require('..')` and
 * `require('../lib/stream')` load our dist, `require('../lib/event-target')` loads our event
 * classes; ws's own Sender and constants stay (the tests craft frames with them). Tests that
 * read ws's private fields (`ws._receiver`, `kListener`, identity with ws's EMPTY_BUFFER ...)
 * are skipped: `it` is wrapped and looks at each test's source.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = join(root, 'packages/node-adapter/dist/index.cjs');
const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
// One work directory per checkout: two checkouts (worktrees) running this at once must not
// share ws's copy and its node_modules link to our build.
const checkout = createHash('sha1').update(root).digest('hex').slice(0, 8);
const work = process.env.WS_OWN_TESTS_DIR ?? `/tmp/sansock-ws-own-tests-${checkout}`;
const mirror = '/work/.mirror/websockets+ws/repo';
let wsRepo = arg('--ws-repo') ?? process.env.WS_REPO;
if (!existsSync(dist)) {
  console.error(`${dist} is missing: run \`npx -y pnpm@10.34.8 build\` first`);
  process.exit(2);
}
mkdirSync(work, { recursive: true });
if (wsRepo === undefined) {
  wsRepo = join(work, 'ws');
  if (!existsSync(join(wsRepo, 'package.json'))) {
    if (!existsSync(mirror)) {
      console.error('no ws checkout: pass --ws-repo DIR (a clone of github.com/websockets/ws)');
      process.exit(2);
    }
    mkdirSync(wsRepo, { recursive: true });
    execFileSync('sh', ['-c', `git -C '${mirror}' archive HEAD | tar -x -C '${wsRepo}'`]);
  }
}
const mochaDir = join(work, 'mocha');
const mochaBin = join(mochaDir, 'node_modules/mocha/bin/mocha.js');
if (!existsSync(mochaBin)) {
  mkdirSync(mochaDir, { recursive: true });
  writeFileSync(join(mochaDir, 'package.json'), '{"private":true}');
  execFileSync('npm', ['i', '--no-audit', '--no-fund', 'mocha@10'], { cwd: mochaDir, stdio: 'inherit' });
}

// A copy of ws's test directory next to its lib (ws's Sender/constants resolve), with the swaps.
const testDir = join(wsRepo, 'test-sansock');
rmSync(testDir, { recursive: true, force: true });
mkdirSync(testDir);
for (const name of ['duplex-pair.js']) {
  if (existsSync(join(wsRepo, 'test', name))) writeFileSync(join(testDir, name), readFileSync(join(wsRepo, 'test', name)));
}
execFileSync('cp', ['-r', join(wsRepo, 'test/fixtures'), join(testDir, 'fixtures')]);
writeFileSync(
  join(testDir, 'sansock.js'),
  `'use strict';
const sansock = require(${JSON.stringify(dist)});
module.exports = sansock;
module.exports.stream = sansock.createWebSocketStream;
module.exports.eventTarget = { CloseEvent: sansock.CloseEvent, ErrorEvent: sansock.ErrorEvent, Event: sansock.Event, MessageEvent: sansock.MessageEvent };
// ws's private state: a test whose body reads it measures ws's internals, not its API.
const PRIVATE = /\\._(?!socket\\b|server\\b|readableState\\b|writableState\\b)[A-Za-z]\\w*|\\bkListener\\b|\\bkWebSocket\\b|strictEqual\\([^,]+,\\s*EMPTY_BUFFER\\)/;
function wrap(original) {
  const wrapped = function (title, fn) {
    if (typeof fn === 'function' && PRIVATE.test(fn.toString())) return original.skip(title, fn);
    return original(title, fn);
  };
  wrapped.only = original.only;
  wrapped.skip = original.skip;
  wrapped.retries = original.retries;
  return wrapped;
}
module.exports.wrapIt = wrap;
`,
);
const files = ['websocket.test.js', 'websocket-server.test.js', 'create-websocket-stream.test.js'];
for (const file of files) {
  let text = readFileSync(join(wsRepo, 'test', file), 'utf8');
  text = text
    .replace(/require\('\.\.'\)/g, "require('./sansock.js')")
    .replace(/require\('\.\.\/lib\/stream'\)/g, "require('./sansock.js').stream")
    .replace(/require\('\.\.\/lib\/event-target'\)/g, "require('./sansock.js').eventTarget");
  text = text.replace("'use strict';", "'use strict';\nconst it = require('./sansock.js').wrapIt(global.it);");
  writeFileSync(join(testDir, file), text);
}
// One mocha per file: a test that crashes its process costs only its own file.
const grep = arg('--grep');
const total = { passes: 0, failures: 0, pending: 0 };
const allFailures = [];
for (const file of files) {
  const mochaArgs = [mochaBin, '--reporter', 'json', '--timeout', '20000', '--exit', join(testDir, file)];
  if (grep) mochaArgs.push('--grep', grep);
  const run = spawnSync(process.execPath, mochaArgs, { cwd: wsRepo, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = run.stdout;
  let report;
  try {
    report = JSON.parse(out.slice(out.indexOf('{\n')));
  } catch {
    console.log(`${file}: mocha crashed, counted as no passes\n${run.stderr.split('\n').slice(0, 12).join('\n')}`);
    allFailures.push({ fullTitle: `${file} (crashed)`, err: { message: run.stderr.split('\n')[5] ?? '' } });
    continue;
  }
  const { stats, failures } = report;
  console.log(`${file}: ${stats.passes} of ${stats.passes + stats.failures} pass, ${stats.pending} skipped`);
  total.passes += stats.passes;
  total.failures += stats.failures;
  total.pending += stats.pending;
  allFailures.push(...failures);
}
console.log(`ws's own tests against @sansock/node: ${total.passes} of ${total.passes + total.failures} pass (${total.pending} skipped: they read ws internals)`);
if (args.includes('--list-failures')) {
  for (const f of allFailures) console.log(`✗ ${f.fullTitle}\n    ${String(f.err.message).split('\n')[0]}`);
}
