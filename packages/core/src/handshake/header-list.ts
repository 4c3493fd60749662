/**
 * Case-insensitive access to HTTP header fields, over the shapes adapters have: an ordered list
 * of pairs (a raw parser, Deno, fetch), Node's `IncomingHttpHeaders`-like record, or a flat
 * `[name, value, name, value...]` list as Node's `rawHeaders` are.
 *
 * A handshake reads a handful of fields once each, so the fields are kept as one flat list and
 * looked up by a scan that compares names without lower-casing them: no index to build and no
 * per-field array, which is most of what a server allocates per handshake otherwise (issue 21).
 * A lookup is linear in the number of fields, and a head's field count is bounded by the parser
 * (`maxHeaderCount`, Node's `maxHeadersCount`), so a flood of fields stays linear too.
 */

/** Header data as an ordered list of `[name, value]` pairs. */
export type HeaderPairs = ReadonlyArray<readonly [name: string, value: string]>;
/** Either an ordered list of pairs, or a record whose values may be arrays (repeated fields). */
export type HeaderInput = HeaderPairs | Readonly<Record<string, string | readonly string[] | undefined>>;

/** ASCII case-insensitive equality (header names are tokens, RFC 9110 §5.1), without allocating. */
export function equalsIgnoringCase(a: string, b: string): boolean {
  return a.length === b.length && regionEqualsIgnoringCase(a, 0, b);
}

/** Whether `text` holds `name` at `start`, ASCII case-insensitively (the caller checks the length). */
export function regionEqualsIgnoringCase(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const x = text.charCodeAt(start + i);
    const y = name.charCodeAt(i);
    if (x === y) continue;
    // Only letters differ by case: fold A-Z onto a-z and compare again.
    const lower = x | 0x20;
    if (lower !== (y | 0x20) || lower < 0x61 || lower > 0x7a) return false;
  }
  return true;
}

export class HeaderList {
  /** Every field in arrival order, names as given: name at 2i, value at 2i + 1. */
  private readonly flat: readonly string[];
  /** How many fields of `flat` count (a list may be cut short, see `fromRaw`). */
  private readonly count: number;

  private constructor(flat: readonly string[], count: number) {
    this.flat = flat;
    this.count = count;
  }

  static from(input: HeaderInput | HeaderList): HeaderList {
    if (input instanceof HeaderList) return input;
    const flat: string[] = [];
    if (Array.isArray(input)) {
      for (const [name, value] of input as HeaderPairs) flat.push(name, value);
    } else {
      // `unknown`: records often come from JavaScript callers (Node's OutgoingHttpHeaders
      // allows numbers, e.g. `{ 'Retry-After': 120 }`), so scalars are turned into strings.
      for (const name of Object.keys(input)) {
        const value = (input as Record<string, unknown>)[name];
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) for (const item of value as unknown[]) flat.push(name, String(item));
        else flat.push(name, String(value));
      }
    }
    return new HeaderList(flat, flat.length >> 1);
  }

  /**
   * A flat `[name, value, name, value...]` list (Node's `rawHeaders`), of which only the first
   * `maxFields` fields count (all by default). The list is used as it is, not copied: the
   * caller must not change it afterwards.
   */
  static fromRaw(raw: readonly string[], maxFields = Infinity): HeaderList {
    return new HeaderList(raw, Math.min(raw.length >> 1, maxFields));
  }

  /** The field's value; repeated fields are joined with ", " (RFC 9110 §5.3). */
  get(name: string): string | undefined {
    const flat = this.flat;
    const end = this.count * 2;
    let value: string | undefined;
    for (let i = 0; i < end; i += 2) {
      if (!equalsIgnoringCase(flat[i]!, name)) continue;
      value = value === undefined ? flat[i + 1]! : `${value}, ${flat[i + 1]!}`;
    }
    return value;
  }

  has(name: string): boolean {
    const flat = this.flat;
    const end = this.count * 2;
    for (let i = 0; i < end; i += 2) if (equalsIgnoringCase(flat[i]!, name)) return true;
    return false;
  }

  /** Every field in arrival order, one entry per occurrence, names as given. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < this.count * 2; i += 2) out.push([this.flat[i]!, this.flat[i + 1]!]);
    return out;
  }
}
