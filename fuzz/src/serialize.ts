/** JSON with bytes as hex, so counterexamples can be saved to and replayed from fuzz/corpus/. */
import { fromHex, toHex } from './bytes.js';

export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (v instanceof Uint8Array ? { $hex: toHex(v) } : v === undefined ? { $undefined: true } : v),
    2,
  );
}

export function fromJson(text: string): unknown {
  return revive(JSON.parse(text) as unknown);
}

/** Turns `{ $hex }` back into bytes and `{ $undefined }` into undefined, anywhere in a parsed value. */
export function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$hex === 'string' && Object.keys(record).length === 1) return fromHex(record.$hex);
    if (record.$undefined === true && Object.keys(record).length === 1) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = revive(v);
    return out;
  }
  return value;
}
