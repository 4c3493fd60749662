/**
 * Replays every input in fuzz/corpus/: counterexamples saved by the long run (`pnpm fuzz`)
 * must pass their property once fixed, and hand-made entries must end as they say.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.js';
import { type CorpusEntry, loadCorpus, saveCounterexample } from '../src/corpus.js';
import { bytewise, readStream } from '../src/drive.js';
import { explore } from '../src/explore.js';
import { propertyNamed } from '../src/properties/index.js';
import type { AnyFuzzProperty, FuzzProperty } from '../src/properties/property.js';

const corpus = loadCorpus();

function checkExpectation(entry: CorpusEntry): void {
  const input = entry.input as { role: 'client' | 'server'; stream: Uint8Array; maxPayload: number };
  const expected = entry.expect!;
  // Whole and one byte at a time must both match the expectation.
  for (const pieces of [[input.stream], bytewise(input.stream)]) {
    const result = readStream({ role: input.role, maxPayload: input.maxPayload }, pieces);
    expect(result.ending.kind).toBe(expected.ending);
    if (expected.closeCode !== undefined && result.ending.kind === 'error') expect(result.ending.closeCode).toBe(expected.closeCode);
    if (expected.closeCode !== undefined && result.ending.kind === 'close') expect(result.observations.at(-1)).toMatchObject({ kind: 'close', code: expected.closeCode });
    if (expected.messages !== undefined) {
      const messages = result.observations.flatMap((o) =>
        o.kind === 'message' ? [o.binary ? { hex: toHex(o.data) } : new TextDecoder().decode(o.data)] : [],
      );
      expect(messages).toEqual(expected.messages);
    }
    if (expected.kinds !== undefined) expect(result.observations.map((o) => o.kind)).toEqual(expected.kinds);
  }
}

describe('fuzz corpus replay', () => {
  it('holds entries, each naming a known property', () => {
    expect(corpus.length).toBeGreaterThan(0);
    for (const { file, entry } of corpus) expect(propertyNamed(entry.property), file).toBeDefined();
  });

  for (const { file, entry } of corpus) {
    it(`${file}: ${entry.note ?? `${entry.property} counterexample (seed ${entry.seed})`}`, async () => {
      await propertyNamed(entry.property)!.check(entry.input);
      if (entry.expect !== undefined) checkExpectation(entry);
    });
  }

  it('the long run saves a failing input with its seed, and the saved file replays the failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sansock-explore-'));
    try {
      // A property with a planted bug: streams holding the byte 0x88 "crash".
      const planted: FuzzProperty<Uint8Array> = {
        name: 'hostile-bytes',
        ciRuns: 1,
        arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }),
        check: (bytes) => {
          if (bytes.includes(0x88)) throw new Error('planted failure');
        },
      };
      const { saved } = await explore([planted as unknown as AnyFuzzProperty], 600, { corpusDir: dir });
      expect(saved.length).toBeGreaterThan(0);
      const [loaded] = loadCorpus(dir);
      expect(loaded?.entry.seed).toEqual(expect.any(Number));
      expect(loaded?.entry.note).toContain('planted failure');
      // Saved shrunk, as bytes, and it still fails when replayed.
      const input = loaded!.entry.input as Uint8Array;
      expect(input).toBeInstanceOf(Uint8Array);
      expect(input.length).toBeLessThanOrEqual(2);
      expect(() => planted.check(input)).toThrow('planted failure');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a saved counterexample reads back as the same input (the format the long run writes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sansock-corpus-'));
    try {
      const input = { role: 'server', stream: fromHex('8180deadbeef'), chunking: { kind: 'sizes', sizes: [1, 3] }, maxPayload: 0, extra: undefined };
      const file = saveCounterexample({ property: 'hostile-bytes', seed: 42, path: '3:1', input }, dir);
      expect(file.endsWith('hostile-bytes-42.json')).toBe(true);
      const [loaded] = loadCorpus(dir);
      expect(loaded?.entry).toEqual({ property: 'hostile-bytes', seed: 42, path: '3:1', input });
      expect(toHex((loaded?.entry.input as { stream: Uint8Array }).stream)).toBe('8180deadbeef');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
