/**
 * The conformance cases (fuzz/conformance/) against an echo server built on each target
 * (ws, @sansock/node). Every case must be OK, or exactly its documented deviation.
 * With SANSOCK_CONFORMANCE_REPORT=<directory>, the results are also written to
 * <directory>/servers.json (fuzz/bin/conformance.mjs uses this to build the report).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, KNOWN_DEVIATIONS } from '../conformance/cases.js';
import { type TargetReport, isAcceptable, runTarget } from '../conformance/run-target.js';
import { TARGETS } from '../conformance/targets.js';

const reports: TargetReport[] = [];

afterAll(() => {
  const dir = process.env.SANSOCK_CONFORMANCE_REPORT;
  if (dir) writeFileSync(join(dir, 'servers.json'), JSON.stringify({ generatedAt: new Date().toISOString(), targets: reports }, null, 2));
});

for (const target of TARGETS) {
  describe(`conformance: echo server on ${target.name}`, () => {
    it(`runs all ${CASES.length} cases; each is OK or its documented deviation`, async (ctx) => {
      const report = await runTarget(target);
      reports.push(report);
      if (report.unavailable !== undefined) {
        // Reported, not hidden: the target is listed as unavailable in the report and here.
        ctx.skip(`${target.name} unavailable: ${report.unavailable}`);
        return;
      }
      const unexpected = report.results.filter((r) => !isAcceptable(target.name, r)).map((r) => `${r.id} ${r.verdict} (${r.title}): ${r.detail}`);
      expect(unexpected).toEqual([]);
      expect(report.results).toHaveLength(CASES.length);
      // Documented deviations must name real cases.
      for (const id of Object.keys(KNOWN_DEVIATIONS[target.name] ?? {})) expect(CASES.some((c) => c.id === id)).toBe(true);
    }, 120_000);
  });
}
