/** Runs every client case: a raw server per case, the target's echo client connecting to it. */
import net from 'node:net';
import { once } from 'node:events';
import { CLIENT_CASES, KNOWN_CLIENT_DEVIATIONS } from './client-cases.js';
import { type EchoClientStarter, echoClientFactory } from './client-targets.js';
import { type CaseResult, type ConformanceCase, judge } from './engine.js';
import { RawClient } from './raw-client.js';
import type { TargetReport } from './run-target.js';
import type { Target } from './targets.js';

export function isAcceptableClient(target: string, result: CaseResult): boolean {
  const known = KNOWN_CLIENT_DEVIATIONS[target]?.[result.id];
  return result.verdict === 'OK' ? known === undefined : known?.verdict === result.verdict;
}

async function runClientCase(testCase: ConformanceCase, startClient: EchoClientStarter): Promise<CaseResult> {
  const started = Date.now();
  const finish = (verdict: CaseResult['verdict'], detail: string): CaseResult => ({
    id: testCase.id, category: testCase.category, title: testCase.title, rfc: testCase.rfc, verdict, detail, ms: Date.now() - started,
  });
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const client = startClient(port, testCase.deflateResponse !== undefined);
  let peer: RawClient | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the client did not connect')), 3000).unref());
    const [socket] = await Promise.race([accepted, timeout]);
    peer = await RawClient.accept(socket, testCase.deflateResponse);
    return finish(...(await judge(testCase, peer, 'client')));
  } catch (error) {
    return finish('FAILED', `harness: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    client.stop();
    peer?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function runClientTarget(target: Target): Promise<TargetReport> {
  const factory = await echoClientFactory(target);
  if (typeof factory === 'string') return { target: target.name, module: target.module, unavailable: factory, results: [] };
  const results: TargetReport['results'] = [];
  for (const testCase of CLIENT_CASES) {
    const result = await runClientCase(testCase, factory);
    const known = KNOWN_CLIENT_DEVIATIONS[target.name]?.[testCase.id]?.why;
    results.push(known === undefined ? result : { ...result, known });
  }
  return { target: target.name, module: target.module, results };
}
