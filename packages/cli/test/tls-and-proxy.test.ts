/**
 * `sansock connect wss://...`: --ca trusts a self-signed certificate, --insecure skips the check,
 * neither fails with exit 1; --proxy tunnels through an HTTP CONNECT proxy (explicit or "env").
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { type TestProxy, startProxy } from '../../node-adapter/test/proxy-helpers.js';
import { runCli } from './cli-process.js';

let dir: string;
let caFile: string;
let server: https.Server;
let url: string;
let proxy: TestProxy;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  } as Parameters<typeof generate>[1]);
  dir = await mkdtemp(path.join(tmpdir(), 'sansock-cli-'));
  caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, pems.cert);
  server = https.createServer({ cert: pems.cert, key: pems.private });
  // The real ws server behind TLS: echoes with a prefix so the reply is unmistakable.
  const wss = new wsPackage.WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`tls:${data.toString()}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `wss://localhost:${(server.address() as AddressInfo).port}/`;
  proxy = await startProxy('me:pw');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await proxy.close();
  await rm(dir, { recursive: true, force: true });
});

describe('connect over TLS', () => {
  it('--ca <file> trusts the server\'s certificate', async () => {
    const cli = runCli(['connect', url, '--ca', caFile, '--json', '-x', 'secret', '-w', '1']);
    expect(await cli.event('message')).toMatchObject({ data: 'tls:secret' });
    expect(await cli.exit).toBe(0);
  });

  it('--insecure connects without checking; neither option fails with exit 1', async () => {
    const insecure = runCli(['connect', url, '--insecure', '--json', '-x', 'x', '-w', '1']);
    expect(await insecure.event('message')).toMatchObject({ data: 'tls:x' });
    expect(await insecure.exit).toBe(0);
    const untrusted = runCli(['connect', url, '--json']);
    expect(await untrusted.exit).toBe(1);
    expect(await untrusted.event('error')).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});

describe('connect through a proxy', () => {
  it('--proxy with credentials tunnels wss: (certificate checked with --ca)', async () => {
    const before = proxy.tunnels.length;
    const cli = runCli(['connect', url, '--ca', caFile, '--proxy', `http://me:pw@127.0.0.1:${proxy.port}`, '--json', '-x', 'via proxy', '-w', '1']);
    expect(await cli.event('message')).toMatchObject({ data: 'tls:via proxy' });
    expect(await cli.exit).toBe(0);
    expect(proxy.tunnels.length - before).toBe(1);
  });

  it('--proxy env reads HTTPS_PROXY; a 407 is exit 1 with the proxy\'s answer', async () => {
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    // Both spellings: a lower-case one inherited from this machine would win over HTTPS_PROXY.
    const env = { ...process.env, HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' };
    const cli = runCli(['connect', url, '--ca', caFile, '--proxy', 'env', '--json'], env);
    expect(await cli.exit).toBe(1);
    expect(await cli.event('error')).toMatchObject({ code: 'ERR_PROXY_CONNECT', message: expect.stringContaining('407 Proxy Authentication Required') });
  });
});
