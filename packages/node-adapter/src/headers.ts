/**
 * Header conversions between Node's http shapes and the core's header pairs, in one place:
 * Node → core (an `OutgoingHttpHeaders` object, or `rawHeaders` as received) and core → Node
 * (the object `http.request` takes).
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { HeaderPairs } from '@sansock/core';

/**
 * Node headers as pairs, every occurrence kept: `rawHeaders` ([name, value, name, value...],
 * as received) or an `OutgoingHttpHeaders` object (arrays are repeated fields, numbers become
 * strings, undefined values are skipped).
 */
export function toHeaderPairs(headers: readonly string[] | OutgoingHttpHeaders | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (headers === undefined) return pairs;
  if (Array.isArray(headers)) {
    const raw = headers as readonly string[];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
    return pairs;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([name, String(item)]);
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

/** Core header pairs → Node's header object (repeated names, in any case, become one array). */
export function toHeaderObject(pairs: HeaderPairs): OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  for (const [name, value] of pairs) {
    const existing = names.get(name.toLowerCase());
    if (existing === undefined) {
      names.set(name.toLowerCase(), name);
      out[name] = value;
    } else {
      const previous = out[existing]!;
      out[existing] = Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
  }
  return out;
}
