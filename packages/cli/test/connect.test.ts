/**
 * `sansock connect` driven through stdin/stdout as a child process, against our server and the
 * real `ws` server: lines sent, messages printed, slash commands, options reaching the server,
 * and the exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { type EchoServer, startEcho } from './servers.js';

const servers: Record<'ours' | 'ws', EchoServer> = {} as Record<'ours' | 'ws', EchoServer>;

beforeAll(async () => {
  servers.ours = await startEcho('ours', { perMessageDeflate: true });
  servers.ws = await startEcho('ws', { perMessageDeflate: true });
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

describe.each(['ours', 'ws'] as const)('connect to %s server', (kind) => {
  it('sends typed lines, prints replies and runs /binary, /ping, /close; end of input after a clean close exits 0', async () => {
    const server = servers[kind];
    const cli = runCli(['connect', server.url]);
    // Both servers accept the permessage-deflate offered by default (parameters are theirs to choose).
    expect(await cli.waitFor(/^\* connected to/)).toMatch(/^\* connected to ws:\/\/127\.0\.0\.1:\d+\/ \(extensions permessage-deflate[^)]*\)$/);
    cli.write('hello there');
    expect(await cli.waitFor(/^</)).toBe('< hello there');
    cli.write('//not a command');
    expect(await cli.waitFor(/^</)).toBe('< /not a command');
    cli.write('/binary 00ff10');
    expect(await cli.waitFor(/^</)).toBe('< [binary, hex] 00ff10');
    cli.write('/ping probe');
    expect(await cli.waitFor(/^\* pong/)).toBe('* pong probe');
    cli.write('/nonsense');
    await expect.poll(() => cli.stderr()).toContain('! unknown command /nonsense');
    cli.write('/close 1000 done');
    expect(await cli.waitFor(/^\* closed/)).toBe('* closed 1000 done');
    expect(await cli.exit).toBe(0);
  });

  it('end of input closes with 1000 and exits 0', async () => {
    const cli = runCli(['connect', servers[kind].url]);
    await cli.waitFor(/^\* connected/);
    cli.write('last words');
    await cli.waitFor(/^< last words$/);
    cli.end();
    expect(await cli.waitFor(/^\* closed/)).toBe('* closed 1000');
    expect(await cli.exit).toBe(0);
  });

  it('sends --header and --subprotocol; --no-deflate offers no extension', async () => {
    const server = servers[kind];
    const before = server.requests.length;
    const cli = runCli(['connect', server.url, '-H', 'X-Token: abc', '--header', 'X-Other:  two ', '-s', 'chat.v2', '-s', 'chat.v1', '--no-deflate']);
    expect(await cli.waitFor(/^\* connected/)).toBe(`* connected to ${server.url} (subprotocol chat.v2)`);
    const request = server.requests[before];
    expect(request?.headers['x-token']).toBe('abc');
    expect(request?.headers['x-other']).toBe('two');
    expect(request?.headers['sec-websocket-protocol']).toBe('chat.v2, chat.v1');
    expect(request?.headers['sec-websocket-extensions']).toBeUndefined();
    cli.end();
    expect(await cli.exit).toBe(0);
  });

  it('a close with another code exits 3', async () => {
    const server = servers[kind];
    const before = server.sockets.length;
    const cli = runCli(['connect', server.url]);
    await cli.waitFor(/^\* connected/);
    server.sockets[before]?.close(4001, 'go away');
    expect(await cli.waitFor(/^\* closed/)).toBe('* closed 4001 go away');
    expect(await cli.exit).toBe(3);
  });

  it('a connection cut without a close frame exits 3', async () => {
    const server = servers[kind];
    const before = server.sockets.length;
    const cli = runCli(['connect', server.url]);
    await cli.waitFor(/^\* connected/);
    server.sockets[before]?.terminate();
    expect(await cli.waitFor(/^\* closed/)).toBe('* closed 1006');
    expect(await cli.exit).toBe(3);
  });
});

describe('connect: exit codes without a server', () => {
  it('a refused connection exits 1 and says why on stderr', async () => {
    const closed = await startEcho('ours');
    const url = closed.url;
    await closed.close();
    const cli = runCli(['connect', url]);
    expect(await cli.exit).toBe(1);
    expect(cli.stderr()).toMatch(/^! connect ECONNREFUSED/m);
    expect(cli.lines).toEqual([]);
  });

  it.each([
    [['connect'], 'connect takes one URL'],
    [['connect', 'ws://127.0.0.1:1/', '--nope'], "Unknown option '--nope'"],
    [['connect', 'ws://127.0.0.1:1/', '--binary-as', 'octal'], '--binary-as must be hex or base64'],
    [['connect', 'ws://127.0.0.1:1/', '-H', 'no colon'], '--header must look like "Name: value"'],
    [['connect', 'ws://127.0.0.1:1/', '--wait', 'soon'], '--wait must be a number of seconds'],
    [['connect', 'ws://127.0.0.1:1/', '--ca', '/nonexistent/ca.pem'], 'cannot read --ca /nonexistent/ca.pem'],
    [['connect', 'ftp://example.com/'], 'The URL\'s protocol must be one of'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['listen', 'eighty'], 'listen takes one port number'],
  ])('usage error %j exits 2', async (args, message) => {
    const cli = runCli(args);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain(message);
  });

  it('--help prints the usage and exits 0', async () => {
    const cli = runCli(['--help']);
    expect(await cli.exit).toBe(0);
    expect(cli.lines.join('\n')).toContain('Exit codes:');
  });
});
