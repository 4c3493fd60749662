#!/usr/bin/env node
/**
 * `pnpm test`: build and type-check, then every test suite, each one even when an earlier one
 * failed (a vitest failure must not hide what Deno would have said), then one summary. Exits
 * non-zero if any step failed.
 *
 * To add a runtime suite (Bun, the Deno adapter, ...), add an entry to STEPS. Commands are
 * looked up on PATH, where `pnpm run` puts node_modules/.bin.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @type {Array<{ name: string, command: string, args: string[] }>} */
const STEPS = [
  { name: 'build', command: 'pnpm', args: ['run', 'build'] },
  { name: 'typecheck', command: 'pnpm', args: ['run', 'typecheck'] },
  // Programs written for @types/ws, compiled against the built @sansock/node under nodenext, bundler and node10.
  { name: 'type tests (ws typings)', command: 'pnpm', args: ['--filter', '@sansock/node', 'run', 'test:types'] },
  { name: 'vitest (Node)', command: 'vitest', args: ['run'] },
  { name: 'core under Deno', command: 'pnpm', args: ['run', 'test:deno'] },
  { name: '@sansock/deno under Deno', command: 'pnpm', args: ['run', 'test:deno-adapter'] },
  { name: 'core and node adapter under Bun', command: 'pnpm', args: ['run', 'test:bun'] },
];

/** Runs one command with our stdio; resolves to its exit code (127 when it could not start). */
function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// Peer suites (interop with Chromium, Python) record here whether they ran or were skipped.
const peerReport = mkdtempSync(join(tmpdir(), 'sansock-peers-'));
const env = { ...process.env, SANSOCK_PEER_REPORT: peerReport };

const results = [];
const started = Date.now();
for (const step of STEPS) {
  console.log(`\n━━ ${step.name}: ${[step.command, ...step.args].join(' ')}`);
  const stepStarted = Date.now();
  const code = await run(step.command, step.args, env);
  results.push({ name: step.name, code, ms: Date.now() - stepStarted });
}

const peers = readdirSync(peerReport).map((file) => JSON.parse(readFileSync(join(peerReport, file), 'utf8')));
rmSync(peerReport, { recursive: true, force: true });

console.log('\n━━ summary');
for (const { name, code, ms } of results) console.log(`${code === 0 ? 'ok    ' : 'FAILED'} ${name} (${seconds(ms)})${code === 0 ? '' : `: exit code ${code}`}`);
const ran = peers.filter((peer) => peer.status === 'ran');
const notRun = peers.filter((peer) => peer.status !== 'ran');
console.log(`peer suites: ${ran.length} of ${peers.length} ran${ran.length ? ` (${ran.map((peer) => peer.name).join(', ')})` : ''}`);
for (const peer of notRun) console.log(`${peer.status === 'skipped' ? 'SKIPPED' : 'FAILED '} ${peer.detail}`);
if (notRun.some((peer) => peer.status === 'skipped')) console.log('(a skipped peer is not a failure here; CI sets SANSOCK_REQUIRE_PEERS=1 and runs them all)');
const failed = results.filter((result) => result.code !== 0);
console.log(failed.length === 0 ? `all ${results.length} steps passed in ${seconds(Date.now() - started)}` : `${failed.length} of ${results.length} steps failed`);
process.exitCode = failed.length === 0 ? 0 : 1;
