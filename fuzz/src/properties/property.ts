import type fc from 'fast-check';

/**
 * A named property: a generator and a check that throws on a violation. The name ties a
 * saved counterexample in fuzz/corpus/ back to the check that replays it.
 */
export interface FuzzProperty<T, R extends void | Promise<void> = void> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Throws on a violation (an asynchronous property's check rejects; run it with fc.asyncProperty). */
  readonly check: (input: T) => R;
  /** Runs per CI test run (scaled by SANSOCK_FUZZ_RUNS). */
  readonly ciRuns: number;
}

export const defineProperty = <T>(property: FuzzProperty<T>): FuzzProperty<T> => property;
export const defineAsyncProperty = <T>(property: FuzzProperty<T, Promise<void>>): FuzzProperty<T, Promise<void>> => property;

/** Any property, as the long run and the corpus replay see them. */
export type AnyFuzzProperty = FuzzProperty<never, void | Promise<void>>;
