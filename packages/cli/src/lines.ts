/**
 * Lines from stdin, on a terminal (with a "> " prompt and line editing) or on a pipe (plain
 * lines, no prompt, no TTY needed).
 */
import readline from 'node:readline';
import type { PromptHooks } from './printer.js';

export interface LineReader {
  /** Lets the printer clear and redraw the prompt around what it prints (terminal only). */
  readonly hooks: PromptHooks | undefined;
  close(): void;
}

export function readLines(onLine: (line: string) => void, onEnd: () => void): LineReader {
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, output: terminal ? process.stdout : undefined, terminal });
  let closed = false;
  rl.on('line', (line) => {
    onLine(line);
    if (terminal && !closed) rl.prompt();
  });
  rl.on('close', () => {
    if (closed) return;
    closed = true;
    onEnd();
  });
  // Ctrl+C on a terminal: readline takes it; hand it to the process as SIGINT would be.
  rl.on('SIGINT', () => process.emit('SIGINT'));
  if (terminal) rl.prompt();
  return {
    hooks: terminal
      ? {
          before: () => {
            readline.clearLine(process.stdout, 0);
            readline.cursorTo(process.stdout, 0);
          },
          after: () => {
            if (!closed) rl.prompt(true);
          },
        }
      : undefined,
    close: () => {
      closed = true;
      rl.close();
      // The readline interface leaves stdin flowing: let the process end.
      process.stdin.destroy();
    },
  };
}
