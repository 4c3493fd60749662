/**
 * fuzz/corpus/: inputs worth keeping. The long run saves every counterexample it finds there
 * (`<property>-<seed>.json`); hand-made entries hold known-tricky inputs with their expected
 * outcome. The normal test run replays them all.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromJson, toJson } from './serialize.js';

export const CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

/** For stream inputs ({ role, stream, maxPayload }): how reading the stream must end. */
export interface ExpectedOutcome {
  readonly ending: 'error' | 'close' | 'incomplete';
  readonly closeCode?: number;
  /** Delivered data messages, text as strings, binary as { hex }. */
  readonly messages?: ReadonlyArray<string | { readonly hex: string }>;
  /** Other delivered events by kind, in order (e.g. ['ping', 'message']). */
  readonly kinds?: readonly string[];
}

export interface CorpusEntry {
  readonly property: string;
  readonly seed?: number;
  readonly path?: string;
  readonly note?: string;
  readonly input: unknown;
  readonly expect?: ExpectedOutcome;
}

export function loadCorpus(dir = CORPUS_DIR): Array<{ file: string; entry: CorpusEntry }> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((file) => ({ file, entry: fromJson(readFileSync(join(dir, file), 'utf8')) as CorpusEntry }));
}

export function saveCounterexample(entry: CorpusEntry & { seed: number }, dir = CORPUS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${entry.property}-${entry.seed}.json`);
  writeFileSync(file, toJson(entry) + '\n');
  return file;
}
