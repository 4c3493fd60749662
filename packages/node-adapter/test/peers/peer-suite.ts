/**
 * Interop suites need peers we did not write (a browser, Python's websockets) that `pnpm
 * install` may not be able to provide. A missing peer is not a bug in sansock, so its suite is
 * skipped with one loud line naming what is missing and how to install it; CI sets
 * SANSOCK_REQUIRE_PEERS=1, which turns that skip into a failure so CI always runs every peer.
 * Each decision is also written to SANSOCK_PEER_REPORT (a directory scripts/test-all.mjs
 * reads) so the end of `pnpm test` can say which peer suites ran and which were skipped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';

/** What a peer finder returns: the peer, or why it is missing and the command that installs it. */
export type PeerLookup<T> = { found: true; peer: T } | { found: false; missing: string; install: string };

/** The environment variable CI sets so that a missing peer fails instead of skipping. */
export const REQUIRE_PEERS = 'SANSOCK_REQUIRE_PEERS';

function report(name: string, status: 'ran' | 'skipped' | 'failed', detail: string): void {
  const dir = process.env.SANSOCK_PEER_REPORT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify({ name, status, detail }));
}

/**
 * `describe(title, body)` when the peer is there (body gets it); otherwise a skip with a notice,
 * or, under SANSOCK_REQUIRE_PEERS=1, a suite whose one test fails with the same notice.
 */
export function describeWithPeer<T>(name: string, lookup: PeerLookup<T>, title: string, body: (peer: T) => void): void {
  if (lookup.found) {
    report(name, 'ran', '');
    describe(title, () => body(lookup.peer));
    return;
  }
  const notice = `PEER MISSING: ${name}: ${lookup.missing}. Install it with: ${lookup.install}`;
  if (process.env[REQUIRE_PEERS] === '1') {
    report(name, 'failed', notice);
    describe(title, () => {
      it(`has its peer (${REQUIRE_PEERS}=1)`, () => {
        throw new Error(notice);
      });
    });
    return;
  }
  report(name, 'skipped', notice);
  // stderr, in yellow when it is a terminal, so it stands out in vitest's output.
  process.stderr.write(process.stderr.isTTY ? `\x1b[33m${notice}\x1b[39m\n` : `${notice}\n`);
  // The body is not called: it may use the peer while collecting.
  describe.skip(title, () => {
    it(`needs ${name}`, () => {});
  });
}
