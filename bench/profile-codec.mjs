#!/usr/bin/env node
/**
 * Profiles one scenario-5 case with `node --cpu-prof` and prints the functions with the most
 * self time (name, file:line, share of samples).
 *
 *   node bench/profile-codec.mjs [impl] [op] [size] [text|masked|unmasked]
 *   node bench/profile-codec.mjs sansock parse 64
 *   node bench/profile-codec.mjs sansock build 64 masked
 *
 * The .cpuprofile is kept in bench/results/profiles/ (open it in Chrome DevTools).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STEADY_MALLOC } from './lib/steady-malloc.mjs';
import { topSelfTime } from './lib/profile-summary.mjs';

const [impl = 'sansock', op = 'parse', size = '64', flag = ''] = process.argv.slice(2);
const dir = fileURLToPath(new URL('./results/profiles/', import.meta.url));
mkdirSync(dir, { recursive: true });
const name = `${impl}-${op}-${size}${flag ? `-${flag}` : ''}-${Date.now()}.cpuprofile`;
const config = {
  impl,
  op,
  size: Number(size),
  text: flag === 'text',
  masked: flag !== 'unmasked',
  warmupMs: 300,
  runMs: 1000,
  runs: 2,
};
const worker = fileURLToPath(new URL('./procs/codec-worker.mjs', import.meta.url));
const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, worker, JSON.stringify(config)], {
  stdio: 'inherit',
  env: { ...process.env, ...STEADY_MALLOC },
});
if (run.status !== 0) process.exit(run.status ?? 1);
if (!readdirSync(dir).includes(name)) throw new Error(`no profile written to ${dir}${name}`);

const { total, top } = topSelfTime(dir + name);
console.log(`${impl} ${op} ${size} ${flag}: ${total} samples, top self time:`);
for (const { where, share } of top) console.log(`${(100 * share).toFixed(1).padStart(5)}%  ${where}`);
console.log(`profile: ${dir}${name}`);
