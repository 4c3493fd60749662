/**
 * The long run (`pnpm fuzz --minutes N`): random exploration of every property for N minutes
 * with fresh seeds. Each counterexample is saved to fuzz/corpus/ with its seed and path, and
 * the normal test run then replays it (test/corpus-replay.test.ts).
 */
import { expect, it } from 'vitest';
import { explore } from '../src/explore.js';
import { PROPERTIES } from '../src/properties/index.js';

const minutes = Number(process.env.SANSOCK_FUZZ_MINUTES ?? '1');
const only = process.env.SANSOCK_FUZZ_ONLY;

it(`explores the properties for ${minutes} minute(s)`, async () => {
  const properties = PROPERTIES.filter((p) => only === undefined || only === '' || p.name.includes(only));
  expect(properties.length, `no property matches "${only}"`).toBeGreaterThan(0);
  const { runs, saved } = await explore(properties, minutes * 60_000, { log: (line) => console.error(line) });
  for (const [name, count] of runs) console.log(`${name}: ${count} runs`);
  expect(saved, 'counterexamples were saved to fuzz/corpus/').toEqual([]);
});
