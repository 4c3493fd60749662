/**
 * Helpers for the tests that run the built package (dist, through package.json `exports`) in
 * child processes: Node scripts, and TypeScript consumers compiled against the shipped typings.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(packageDir, '../..');
export const dist = path.join(packageDir, 'dist');

/**
 * A limit that only stops a hung child: `tsc` takes ~15 s alone and far longer on a loaded
 * 2-core machine. Tests that wait on it set their own vitest timeout above this.
 */
export const CHILD_TIMEOUT = 240_000;

/** Runs `node` with `args` (from the repository root, where node_modules/@sansock/node is linked); resolves with its stdout. */
export function runNode(args: string[], cwd = repoRoot, timeout = CHILD_TIMEOUT): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, timeout }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export const lastJsonLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');

/**
 * Compiles `files` (name → source) as a CommonJS TypeScript project that depends on the built
 * @sansock/node (node16 resolution, strict, no skipLibCheck), in a temporary directory that
 * links the package; resolves with tsc's output, '' when it compiled cleanly.
 */
export async function compileConsumer(
  files: Record<string, string>,
  options: { readonly esModuleInterop?: boolean; readonly linkCore?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sansock-ts-consumer-'));
  try {
    await mkdir(path.join(dir, 'node_modules/@sansock'), { recursive: true });
    await symlink(packageDir, path.join(dir, 'node_modules/@sansock/node'), 'dir');
    if (options.linkCore) await symlink(path.join(repoRoot, 'node_modules/@sansock/core'), path.join(dir, 'node_modules/@sansock/core'), 'dir');
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
    const compilerOptions = {
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      ...(options.esModuleInterop ? { esModuleInterop: true } : {}),
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules/@types')],
    };
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
    for (const [name, source] of Object.entries(files)) await writeFile(path.join(dir, name), source);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    return await runNode([tsc, '-p', dir], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
