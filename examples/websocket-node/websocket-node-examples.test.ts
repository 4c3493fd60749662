/**
 * WebSocket-Node's README programs (examples/websocket-node/*.js), run unchanged as separate
 * Node processes against the built package (`require('@sansock/node/websocket-node')`): our
 * echo server with our client and our W3C client, and each of them with the real `websocket`
 * package on the other side (the same programs with the original require path).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const nodeAdapter = join(root, 'packages', 'node-adapter');
const built = join(nodeAdapter, 'dist', 'websocket-node.cjs');

function newest(path: string): number {
  const stats = statSync(path);
  return stats.isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : stats.mtimeMs;
}

/** The programs need the built package: build it when it is missing or older than its sources. */
beforeAll(() => {
  const sources = Math.max(newest(join(nodeAdapter, 'src')), newest(join(root, 'packages', 'core', 'src')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const result = spawnSync('npx', ['-y', 'pnpm@10.34.8', 'run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
}, 300_000);

/** The same programs requiring the real `websocket` package (resolved from packages/node-adapter). */
let originals: string;
beforeAll(() => {
  originals = mkdtempSync(join(tmpdir(), 'websocket-node-originals-'));
  const realPath = join(nodeAdapter, 'node_modules', 'websocket');
  for (const name of ['echo-server.js', 'client.js', 'w3c-client.js']) {
    const text = readFileSync(join(here, name), 'utf8').replace("require('@sansock/node/websocket-node')", `require(${JSON.stringify(realPath)})`);
    writeFileSync(join(originals, name), text);
  }
});
afterAll(() => rmSync(originals, { recursive: true, force: true }));

const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill();
        }),
    ),
  );
});

/** Starts `node script args`; `waitFor` resolves with the first output line matching a pattern. */
function run(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ...env } });
  children.push(child);
  let output = '';
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    waitFor: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        waiters.push({ pattern, resolve });
        check();
      }),
    output: () => output,
  };
}

async function startServer(dir: string): Promise<{ url: string; server: ReturnType<typeof run> }> {
  const server = run(join(dir, 'echo-server.js'), [], { PORT: '0' });
  const [, port] = await server.waitFor(/Server is listening on port (\d+)/);
  return { url: `ws://127.0.0.1:${port}/`, server };
}

const pairs = [
  { name: 'our server, our client', server: () => here, client: () => here },
  { name: 'our server, the original client', server: () => here, client: () => originals },
  { name: 'the original server, our client', server: () => originals, client: () => here },
];

for (const pair of pairs) {
  it(`README server and client: ${pair.name}`, async () => {
    const { url, server } = await startServer(pair.server());
    const client = run(join(pair.client(), 'client.js'), [url]);
    await client.waitFor(/WebSocket Client Connected/);
    const [, number] = await client.waitFor(/Received: '(\d+)'/);
    expect(server.output()).toContain(`Received Message: ${number}`);
    expect(server.output()).toContain('Connection accepted.');
  });

  it(`README W3C client: ${pair.name}`, async () => {
    const { url, server } = await startServer(pair.server());
    const client = run(join(pair.client(), 'w3c-client.js'), [url]);
    await client.waitFor(/WebSocket Client Connected/);
    const [, number] = await client.waitFor(/Received: '(\d+)'/);
    expect(server.output()).toContain(`Received Message: ${number}`);
  });
}

it('README client against a server that is not there: Connect Error', async () => {
  const { url } = await startServer(here);
  await afterEachKill();
  const client = run(join(here, 'client.js'), [url]);
  await client.waitFor(/Connect Error: Error: connect ECONNREFUSED/);
});

/** Stops the processes started so far (the server above), so its port refuses connections. */
async function afterEachKill(): Promise<void> {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  }
}
