/**
 * Random exploration for the long run: every property in turn, fresh seeds, time slices.
 * Counterexamples are saved (seed, path, input) so the normal test run can replay them.
 */
import fc from 'fast-check';
import { type CorpusEntry, saveCounterexample } from './corpus.js';
import type { AnyFuzzProperty } from './properties/property.js';

export interface ExploreResult {
  readonly runs: Map<string, number>;
  /** Files written to the corpus. */
  readonly saved: string[];
}

export async function explore(
  properties: readonly AnyFuzzProperty[],
  totalMs: number,
  options: { readonly sliceMs?: number; readonly corpusDir?: string; readonly log?: (line: string) => void } = {},
): Promise<ExploreResult> {
  const deadline = Date.now() + totalMs;
  const runs = new Map<string, number>();
  const saved: string[] = [];
  // Short runs still give every property a turn.
  const sliceMs = Math.min(options.sliceMs ?? 30_000, Math.max(200, totalMs / Math.max(1, properties.length)));
  let turn = 0;
  while (Date.now() < deadline && properties.length > 0) {
    const property = properties[turn++ % properties.length]!;
    const seed = (Math.random() * 2 ** 31) | 0;
    // asyncProperty for all: a check may return a promise, which a sync property would not await.
    const details = await fc.check(fc.asyncProperty(property.arbitrary, async (input) => property.check(input)), {
      seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: Math.max(100, Math.min(sliceMs, deadline - Date.now())),
      markInterruptAsFailure: false,
    });
    runs.set(property.name, (runs.get(property.name) ?? 0) + details.numRuns);
    if (details.failed && details.counterexample !== null) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      const entry: CorpusEntry & { seed: number } = {
        property: property.name,
        seed,
        path: details.counterexamplePath ?? undefined,
        note: `found by the long run: ${error.split('\n')[0]?.slice(0, 200)}`,
        input: details.counterexample[0],
      };
      const file = saveCounterexample(entry, options.corpusDir);
      saved.push(file);
      options.log?.(`${property.name}: counterexample (seed ${seed}, path ${details.counterexamplePath}) saved to ${file}`);
    }
  }
  return { runs, saved };
}
