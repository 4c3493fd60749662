import { BASELINE, CEILING, LIBRARIES } from './libraries.mjs';
import { betterRatio } from './stats.mjs';
import { ratio } from './format.mjs';

/**
 * One Markdown table per metric of a scenario: a row per (case, library) with the median, the
 * min–max of the runs, and the ratio against ws + bufferutil (and the raw-TCP ceiling when the
 * scenario has one). Ratios are "how much better": > 1 is better for us whatever the unit.
 */
export function scenarioTables(scenario, results, runs) {
  const out = [`### ${scenario.title}`, '', scenario.summary, ''];
  for (const metric of scenario.metrics) {
    const hasCeiling = results.some((r) => r.lib === CEILING && r.metrics?.[metric.key]);
    const direction = metric.higherIsBetter ? 'higher is better' : 'lower is better';
    const basis = metric.single ? 'one value per server process' : `median of ${runs} runs`;
    out.push(`**${metric.label}** (${basis}, ${direction})`, '');
    const header = ['case', 'library', 'median', 'min – max', `vs ${LIBRARIES[BASELINE].label}`];
    if (hasCeiling) header.push(`vs ${LIBRARIES[CEILING].label.replace(' (ceiling)', '')}`);
    out.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
    for (const testCase of scenario.caseLabels) {
      const rows = results.filter((r) => r.case === testCase);
      const baseline = rows.find((r) => r.lib === BASELINE)?.metrics?.[metric.key];
      const ceiling = rows.find((r) => r.lib === CEILING)?.metrics?.[metric.key];
      for (const row of rows) {
        const label = row.label ?? LIBRARIES[row.lib]?.label ?? row.lib;
        const cells = [testCase, label];
        const summary = row.metrics?.[metric.key];
        if (!summary) {
          cells.push(row.unavailable ? `unavailable: ${row.unavailable}` : row.failed ? `failed: ${oneLine(row.failed)}` : 'n/a', '', '');
          if (hasCeiling) cells.push('');
        } else {
          cells.push(metric.format(summary.median), `${metric.format(summary.min)} – ${metric.format(summary.max)}`);
          cells.push(baseline ? ratio(betterRatio(summary.median, baseline.median, metric.higherIsBetter)) : '–');
          if (hasCeiling) {
            cells.push(ceiling && row.lib !== CEILING ? ratio(betterRatio(summary.median, ceiling.median, metric.higherIsBetter)) : '');
          }
        }
        out.push(`| ${cells.join(' | ')} |`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

function oneLine(text) {
  const line = String(text).split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
