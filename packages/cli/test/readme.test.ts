/**
 * The README's first example, run as written: its `$ sansock ...` lines are executed (the
 * listening port 8080 becomes a free one) and what each prints must be what the README shows.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runCli } from './cli-process.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The first console block as [command arguments, lines it prints][]. */
function steps(): Array<{ args: string[]; output: string[] }> {
  const block = /```console\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const result: Array<{ args: string[]; output: string[] }> = [];
  for (const line of block.trimEnd().split('\n')) {
    if (line.startsWith('$ sansock ')) {
      result.push({ args: line.slice('$ sansock '.length).replace(/ &$/, '').split(' '), output: [] });
    } else result.at(-1)?.output.push(line);
  }
  return result;
}

it('README: the listen / connect example prints what it shows', async () => {
  const [listenStep, connectStep] = steps();
  if (listenStep === undefined || connectStep === undefined) throw new Error('the README example changed shape');
  expect(listenStep.args.slice(0, 2)).toEqual(['listen', '8080']);
  const server = runCli(listenStep.args.map((arg) => (arg === '8080' ? '0' : arg)));
  const listening = await server.waitFor(/^\* listening on/);
  const port = /:(\d+)\/$/.exec(listening)?.[1] ?? '';
  const withPort = (text: string): string => text.replaceAll(':8080/', `:${port}/`);
  expect(listening).toBe(withPort(listenStep.output[0] ?? ''));

  const client = runCli(connectStep.args.map(withPort));
  expect(await client.exit).toBe(0);
  expect(client.lines).toEqual(connectStep.output.map(withPort));
  server.child.kill('SIGTERM');
  expect(await server.exit).toBe(0);
});
