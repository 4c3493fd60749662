/**
 * `sansock listen`: echo by default (to our client and to ws's), --broadcast lines typed to every
 * client, JSON commands aimed at one client, --deflate, and how it stops (exit codes).
 */
import { describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from '@sansock/node';
import { type CliRun, runCli } from './cli-process.js';

/** Starts `sansock listen 0 --host 127.0.0.1 --json ...` and returns it with its URL. */
async function listen(...args: string[]): Promise<{ cli: CliRun; url: string }> {
  const cli = runCli(['listen', '0', '--host', '127.0.0.1', '--json', ...args]);
  const { url } = await cli.event<{ url: string }>('listening');
  return { cli, url };
}

type Client = WebSocket | wsPackage.WebSocket;

function open(kind: 'ours' | 'ws', url: string, options: { perMessageDeflate?: boolean } = {}): Promise<Client> {
  const ws: Client = kind === 'ours' ? new WebSocket(url, options) : new wsPackage.WebSocket(url, options);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: Client): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString())));
}

function closed(ws: Client): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

describe.each(['ours', 'ws'] as const)('listen, with %s client', (kind) => {
  it('echoes and prints connection, message and close', async () => {
    const { cli, url } = await listen();
    const ws = await open(kind, url);
    expect(await cli.event('connection')).toMatchObject({ type: 'connection', client: 1, protocol: '', extensions: '' });
    const echoed = nextMessage(ws);
    ws.send('ping me back');
    expect(await echoed).toBe('ping me back');
    expect(await cli.event('message')).toEqual({ type: 'message', client: 1, data: 'ping me back', binary: false });
    ws.close(1000, 'thanks');
    expect(await cli.event('close')).toEqual({ type: 'close', client: 1, code: 1000, reason: 'thanks' });
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });
});

describe('listen --broadcast', () => {
  it('sends lines typed to every client, or to one with {"client":n}; end of input stops the server (exit 0)', async () => {
    const { cli, url } = await listen('--broadcast');
    const a = await open('ours', url);
    await cli.event('connection');
    const b = await open('ws', url);
    await cli.event('connection');
    const both = [nextMessage(a), nextMessage(b)];
    cli.write('to everyone');
    expect(await Promise.all(both)).toEqual(['to everyone', 'to everyone']);
    const onlyB = nextMessage(b);
    cli.write('{"send":"just you","client":2}');
    expect(await onlyB).toBe('just you');
    // Broadcasting does not echo: a's message is printed only.
    a.send('from a');
    expect(await cli.event('message')).toEqual({ type: 'message', client: 1, data: 'from a', binary: false });
    cli.write('{"send":"nobody","client":9}');
    expect(await cli.event('error')).toMatchObject({ message: 'no client 9' });
    const codes = [closed(a), closed(b)];
    cli.end();
    expect(await Promise.all(codes)).toEqual([1001, 1001]);
    expect(await cli.exit).toBe(0);
  });
});

describe('listen options and failures', () => {
  it('--deflate negotiates permessage-deflate; without it, none', async () => {
    for (const [flag, expected] of [[['--deflate'], /^permessage-deflate/], [[], /^$/]] as const) {
      const { cli, url } = await listen(...flag);
      const ws = await open('ws', url, { perMessageDeflate: true });
      expect(ws.extensions).toMatch(expected);
      const event = await cli.event<{ extensions: string }>('connection');
      expect(event.extensions).toMatch(expected);
      ws.close();
      await cli.event('close');
      cli.child.kill('SIGINT');
      expect(await cli.exit).toBe(0);
    }
  });

  it('a port in use exits 1', async () => {
    const taken = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as { port: number }).port;
    const cli = runCli(['listen', String(port), '--host', '127.0.0.1', '--json']);
    expect(await cli.exit).toBe(1);
    expect(JSON.parse(cli.lines[0] ?? '{}')).toMatchObject({ type: 'error', code: 'EADDRINUSE' });
    await new Promise((resolve) => taken.close(resolve));
  });

  it('human output: "* listening on", "< [1] text"', async () => {
    const cli = runCli(['listen', '0', '--host', '127.0.0.1']);
    const url = (await cli.waitFor(/^\* listening on /)).slice('* listening on '.length);
    const ws = await open('ours', url);
    expect(await cli.waitFor(/^\* \[1\] connected from 127\.0\.0\.1:\d+$/)).toBeTruthy();
    ws.send(Buffer.from('hi'));
    expect(await cli.waitFor(/^</)).toBe('< [1] [binary, hex] 6869');
    ws.close(1000);
    expect(await cli.waitFor(/closed/)).toBe('* [1] closed 1000');
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });
});
