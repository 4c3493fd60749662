/** Runs every case against one target's echo server. */
import { CASES, KNOWN_DEVIATIONS } from './cases.js';
import { type CaseResult, runCase } from './engine.js';
import { type Target, startTargetServer } from './targets.js';

export interface TargetReport {
  readonly target: string;
  readonly module: string;
  /** Why the target could not be tested, if it could not. */
  readonly unavailable?: string;
  readonly results: Array<CaseResult & { readonly known?: string }>;
}

/** Whether a result is acceptable: OK, or exactly the known deviation recorded for it. */
export function isAcceptable(target: string, result: CaseResult): boolean {
  if (result.verdict === 'OK') return KNOWN_DEVIATIONS[target]?.[result.id] === undefined;
  return KNOWN_DEVIATIONS[target]?.[result.id]?.verdict === result.verdict;
}

export async function runTarget(target: Target, filter: (id: string) => boolean = () => true): Promise<TargetReport> {
  const server = await startTargetServer(target);
  if (typeof server === 'string') return { target: target.name, module: target.module, unavailable: server, results: [] };
  const deflateServer = await startTargetServer(target, true);
  if (typeof deflateServer === 'string') {
    await server.close();
    return { target: target.name, module: target.module, unavailable: deflateServer, results: [] };
  }
  const ports = { plain: server.port, deflate: deflateServer.port };
  const results: TargetReport['results'] = [];
  try {
    for (const testCase of CASES) {
      if (!filter(testCase.id)) continue;
      const result = await runCase(testCase, ports);
      const known = KNOWN_DEVIATIONS[target.name]?.[testCase.id]?.why;
      results.push(known === undefined ? result : { ...result, known });
    }
  } finally {
    await server.close();
    await deflateServer.close();
  }
  return { target: target.name, module: target.module, results };
}
