/**
 * Counts the work a parser does instead of timing it: a clock reading depends on the machine's
 * load, a count does not. While `fn` runs, the built-ins the scanners read their input with are
 * wrapped to count what they touch:
 * - String.prototype.charCodeAt: one per call; String.prototype.slice: the characters copied;
 * - Uint8Array indexOf: the bytes it examined; Uint8Array set: the bytes it copied.
 * A linear parser does at most a few units per input character on any input; a quadratic or
 * backtracking one does units proportional to the square of the input. The count also has a
 * floor (every input character is looked at), which `expectLinearWork` checks, so a parser
 * rewritten to read its input some other way fails loudly instead of counting nothing.
 */
import { expect } from 'vitest';

type Method = (this: unknown, ...args: unknown[]) => unknown;

export function countWork(fn: () => void): number {
  let units = 0;
  const restore: Array<() => void> = [];
  const wrap = <S, A extends unknown[], R>(target: object, name: string, cost: (self: S, args: A, result: R) => number): void => {
    const original = Reflect.get(target, name) as Method;
    const hadOwn = Object.prototype.hasOwnProperty.call(target, name);
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: function (this: S, ...args: A) {
        const result = original.apply(this, args) as R;
        units += cost(this, args, result);
        return result;
      },
    });
    restore.push(() => {
      if (hadOwn) Object.defineProperty(target, name, { configurable: true, writable: true, value: original });
      else delete (target as Record<string, unknown>)[name];
    });
  };
  wrap(String.prototype, 'charCodeAt', () => 1);
  wrap(String.prototype, 'slice', (_self: string, _args: unknown[], result: string) => result.length);
  wrap(Uint8Array.prototype, 'indexOf', (self: Uint8Array, args: [number, number?], found: number) => {
    const from = args[1] ?? 0;
    return (found < 0 ? self.length : found + 1) - Math.min(from, self.length);
  });
  wrap(Uint8Array.prototype, 'set', (_self: Uint8Array, args: [ArrayLike<number>]) => args[0].length);
  try {
    fn();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return units;
}

/**
 * Runs `parse` on inputs of growing size and checks that the work per input unit stays under
 * `perUnit` at every size (a quadratic parser's ratio grows with the size), and is at least 1.
 */
export function expectLinearWork<T extends { length: number }>(make: (size: number) => T, parse: (input: T) => void, perUnit: number): void {
  for (const size of [10_000, 40_000, 160_000]) {
    const input = make(size);
    const units = countWork(() => parse(input));
    const ratio = units / input.length;
    expect(ratio, `work per input unit at ${input.length}`).toBeGreaterThanOrEqual(1);
    expect(ratio, `work per input unit at ${input.length}`).toBeLessThanOrEqual(perUnit);
  }
}
