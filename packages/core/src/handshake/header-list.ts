/**
 * Case-insensitive access to HTTP header fields, over the two shapes adapters have: an ordered
 * list of pairs (a raw parser, Deno, fetch) or Node's `IncomingHttpHeaders`-like record.
 */

/** Header data as an ordered list of `[name, value]` pairs. */
export type HeaderPairs = ReadonlyArray<readonly [name: string, value: string]>;
/** Either an ordered list of pairs, or a record whose values may be arrays (repeated fields). */
export type HeaderInput = HeaderPairs | Readonly<Record<string, string | readonly string[] | undefined>>;

export class HeaderList {
  /** Every field in arrival order, names as given. */
  private readonly fields: Array<[string, string]>;
  /** Lower-cased name → the values of each occurrence. */
  private readonly byName = new Map<string, string[]>();

  private constructor(fields: Array<[string, string]>) {
    this.fields = fields;
    for (const [name, value] of fields) {
      const key = name.toLowerCase();
      const values = this.byName.get(key);
      if (values) values.push(value);
      else this.byName.set(key, [value]);
    }
  }

  static from(input: HeaderInput): HeaderList {
    if (input instanceof HeaderList) return input;
    const fields: Array<[string, string]> = [];
    if (Array.isArray(input)) {
      for (const [name, value] of input as HeaderPairs) fields.push([name, value]);
    } else {
      // `unknown`: records often come from JavaScript callers (Node's OutgoingHttpHeaders
      // allows numbers, e.g. `{ 'Retry-After': 120 }`), so scalars are turned into strings.
      for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) for (const item of value as unknown[]) fields.push([name, String(item)]);
        else fields.push([name, String(value)]);
      }
    }
    return new HeaderList(fields);
  }

  /** The field's value; repeated fields are joined with ", " (RFC 9110 §5.3). */
  get(name: string): string | undefined {
    const values = this.byName.get(name.toLowerCase());
    return values === undefined ? undefined : values.join(', ');
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** Every field in arrival order, one entry per occurrence, names as given. */
  entries(): Array<[string, string]> {
    return this.fields.map(([name, value]) => [name, value]);
  }
}
