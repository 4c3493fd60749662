/**
 * The client conformance cases (fuzz/conformance/client-cases.ts): a raw TCP server sends
 * crafted frames to an echo client built on each target (ws, @sansock/node, the bare core).
 * Every case must be OK, or exactly its documented deviation. With
 * SANSOCK_CONFORMANCE_REPORT=<directory>, results also go to <directory>/clients.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_CASES } from '../conformance/client-cases.js';
import { CLIENT_TARGETS } from '../conformance/client-targets.js';
import { isAcceptableClient, runClientTarget } from '../conformance/run-client-target.js';
import type { TargetReport } from '../conformance/run-target.js';

const reports: TargetReport[] = [];

afterAll(() => {
  const dir = process.env.SANSOCK_CONFORMANCE_REPORT;
  if (dir) writeFileSync(join(dir, 'clients.json'), JSON.stringify({ generatedAt: new Date().toISOString(), targets: reports }, null, 2));
});

for (const target of CLIENT_TARGETS) {
  describe(`client conformance: echo client on ${target.name}`, () => {
    it(`runs all ${CLIENT_CASES.length} client cases; each is OK or its documented deviation`, async (ctx) => {
      const report = await runClientTarget(target);
      reports.push(report);
      if (report.unavailable !== undefined) {
        ctx.skip(`${target.name} unavailable: ${report.unavailable}`);
        return;
      }
      const unexpected = report.results.filter((r) => !isAcceptableClient(target.name, r)).map((r) => `${r.id} ${r.verdict} (${r.title}): ${r.detail}`);
      expect(unexpected).toEqual([]);
      expect(report.results).toHaveLength(CLIENT_CASES.length);
    }, 120_000);
  });
}
