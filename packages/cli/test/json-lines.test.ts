/**
 * --json: every event one JSON object per stdout line, stdin JSON objects as commands, plain
 * lines sent as text; --execute/--wait for one-shot scripts; --binary-as base64.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { type EchoServer, startEcho } from './servers.js';

let ours: EchoServer;
let theirs: EchoServer;

beforeAll(async () => {
  ours = await startEcho('ours');
  theirs = await startEcho('ws');
});
afterAll(async () => {
  await ours.close();
  await theirs.close();
});

describe.each([
  ['ours', () => ours],
  ['ws', () => theirs],
] as const)('--json against %s server', (_kind, server) => {
  it('prints open/message/pong/close events and obeys JSON commands', async () => {
    const cli = runCli(['connect', server().url, '--json', '--binary-as', 'base64', '-s', 'proto']);
    expect(await cli.event('open')).toEqual({ type: 'open', url: server().url, protocol: 'proto', extensions: '' });
    cli.write('{"send":"plain text"}');
    expect(await cli.event('message')).toEqual({ type: 'message', data: 'plain text', binary: false });
    cli.write('not json at all');
    expect(await cli.event('message')).toEqual({ type: 'message', data: 'not json at all', binary: false });
    cli.write(JSON.stringify({ send: Buffer.from([1, 2, 250]).toString('base64'), binary: true }));
    expect(await cli.event('message')).toEqual({ type: 'message', data: 'AQL6', binary: true, encoding: 'base64' });
    cli.write('{"ping":"are you there"}');
    expect(await cli.event('pong')).toEqual({ type: 'pong', data: 'are you there', binary: false });
    cli.write('{"wat":1}');
    expect(await cli.event('error')).toMatchObject({ type: 'error', code: 'BAD_COMMAND' });
    cli.write('{"close":[1000,"bye"]}');
    expect(await cli.event('close')).toEqual({ type: 'close', code: 1000, reason: 'bye' });
    expect(await cli.exit).toBe(0);
    // Nothing but JSON on stdout.
    for (const line of cli.lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('--execute sends its messages, --wait then closes with 1000', async () => {
    const cli = runCli(['connect', server().url, '--json', '-x', 'one', '--execute', 'two', '--wait', '1']);
    await cli.event('open');
    expect(await cli.event('message')).toMatchObject({ data: 'one' });
    expect(await cli.event('message')).toMatchObject({ data: 'two' });
    expect(await cli.event('close')).toEqual({ type: 'close', code: 1000, reason: '' });
    expect(await cli.exit).toBe(0);
  });

  it('a {"close":[4000,...]} command of ours still exits 3 (not a normal closure)', async () => {
    const cli = runCli(['connect', server().url, '--json']);
    await cli.event('open');
    cli.write('{"close":[4000,"custom"]}');
    expect(await cli.event('close')).toEqual({ type: 'close', code: 4000, reason: 'custom' });
    expect(await cli.exit).toBe(3);
  });
});

it('--json: a failed connection is one error event and exit 1', async () => {
  const cli = runCli(['connect', 'ws://127.0.0.1:1/', '--json']);
  expect(await cli.exit).toBe(1);
  expect(cli.lines.map((line) => JSON.parse(line) as unknown)).toEqual([{ type: 'error', message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' }]);
});
