/** Minimal assertions (no network access to jsr:@std/assert from the test machine). */
export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(message);
}

export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b || (typeof actual !== typeof expected)) throw new Error(message ?? `expected ${b}, got ${a}`);
}
