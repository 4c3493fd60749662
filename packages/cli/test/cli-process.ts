/**
 * Runs the built `sansock` (dist/sansock.js, as the bin runs it) as a child process on pipes:
 * no TTY. The root `pnpm test` builds first; this file builds nothing.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/sansock.js', import.meta.url));

export interface CliRun {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the next stdout line (after those already taken) that matches. */
  waitFor(match: RegExp | ((line: string) => boolean)): Promise<string>;
  /** The next JSON event of `type` (with --json). */
  event<T = Record<string, unknown>>(type: string): Promise<T>;
  write(line: string): void;
  end(): void;
  /** Resolves with the exit code. */
  readonly exit: Promise<number | null>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first`);
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'pipe' });
  const lines: string[] = [];
  let stderr = '';
  let taken = 0;
  const waiters: Array<() => void> = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters.splice(0)) waiter();
  });
  // 'close' (not 'exit'): stdout has been read to its end by then.
  let closed = false;
  const exit = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = true;
      resolve(code);
      for (const waiter of waiters.splice(0)) waiter();
    }),
  );

  const waitFor = (match: RegExp | ((line: string) => boolean)): Promise<string> => {
    const test = typeof match === 'function' ? match : (line: string) => match.test(line);
    return new Promise((resolve, reject) => {
      const look = (): void => {
        for (let i = taken; i < lines.length; i++) {
          const line = lines[i] ?? '';
          if (test(line)) {
            taken = i + 1;
            resolve(line);
            return;
          }
        }
        if (closed) reject(new Error(`no line matching ${String(match)} in:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        else waiters.push(look);
      };
      look();
    });
  };

  return {
    child,
    lines,
    stderr: () => stderr,
    waitFor,
    event: async <T>(type: string) => JSON.parse(await waitFor((line) => line.startsWith(`{"type":"${type}"`))) as T,
    write: (line) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    exit,
  };
}
