/**
 * How hard the properties run. CI uses each property's fixed `numRuns`; the environment can
 * scale it (SANSOCK_FUZZ_RUNS multiplies, e.g. 10) or pin a seed to reproduce a failure
 * (SANSOCK_FUZZ_SEED, and SANSOCK_FUZZ_PATH from fast-check's failure message).
 */
import type fc from 'fast-check';

const env = (name: string): string | undefined => {
  const value = globalThis.process?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
};

export function runParameters<T>(ciRuns: number): fc.Parameters<T> {
  const scale = Number(env('SANSOCK_FUZZ_RUNS') ?? '1');
  const seed = env('SANSOCK_FUZZ_SEED');
  const path = env('SANSOCK_FUZZ_PATH');
  const parameters: fc.Parameters<T> = { numRuns: Math.max(1, Math.round(ciRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))) };
  if (seed !== undefined) return { ...parameters, seed: Number(seed), ...(path !== undefined ? { path } : {}) };
  return parameters;
}
