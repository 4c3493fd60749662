#!/usr/bin/env node
// `pnpm conformance`: runs the conformance cases (fuzz/conformance/) against every target
// through vitest (which runs the TypeScript harness), then prints a per-case table and writes
// fuzz/reports/conformance.json and fuzz/reports/conformance.html.
// Options: --only <id-prefix> (e.g. --only 6.4) limits the table to matching cases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const fuzzDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(fuzzDir, '..');
const reportsDir = join(fuzzDir, 'reports');
mkdirSync(reportsDir, { recursive: true });
const rawDir = join(reportsDir, 'raw');
mkdirSync(rawDir, { recursive: true });
const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const run = spawnSync('pnpm', ['exec', 'vitest', 'run', 'fuzz/test/conformance-servers.test.ts', 'fuzz/test/conformance-clients.test.ts', '--reporter=dot'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, SANSOCK_CONFORMANCE_REPORT: rawDir },
});

let servers;
let clients;
try {
  servers = JSON.parse(readFileSync(join(rawDir, 'servers.json'), 'utf8'));
  clients = JSON.parse(readFileSync(join(rawDir, 'clients.json'), 'utf8'));
} catch {
  console.error('conformance: no results were written (did vitest fail to start?)');
  process.exit(run.status ?? 1);
}
// One list of targets: servers under test, then clients (their case ids start with "c").
const data = {
  generatedAt: servers.generatedAt,
  targets: [
    ...servers.targets.map((t) => ({ ...t, side: 'server' })),
    ...clients.targets.map((t) => ({ ...t, target: `${t.target} (client)`, side: 'client' })),
  ],
};

const pad = (s, n) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
const targets = data.targets;
/** Rows of one side (servers or clients under test): case → verdict per available target. */
function rowsOf(side) {
  const rows = new Map();
  for (const t of targets.filter((x) => x.side === side)) {
    for (const r of t.results) {
      if (only && !r.id.startsWith(only)) continue;
      if (!rows.has(r.id)) rows.set(r.id, { id: r.id, title: r.title, category: r.category, rfc: r.rfc, verdicts: {} });
      rows.get(r.id).verdicts[t.target] = r;
    }
  }
  return [...rows.values()];
}
const sides = ['server', 'client'].map((side) => ({
  side,
  names: targets.filter((t) => t.side === side && !t.unavailable).map((t) => t.target),
  rows: rowsOf(side),
}));
for (const { side, names, rows } of sides) {
  const width = Math.max(16, ...names.map((n) => n.length + 2));
  console.log(`\n${side === 'server' ? 'Servers' : 'Clients'} under test\n` + pad('case', 8) + names.map((n) => pad(n, width)).join('') + 'title');
  for (const row of rows) {
    const cells = names.map((n) => {
      const r = row.verdicts[n];
      return pad(r ? r.verdict + (r.known ? '*' : '') : '-', width);
    });
    console.log(pad(row.id, 8) + cells.join('') + row.title);
  }
}
console.log('\n* a documented deviation (fuzz/DIFFERENCES.md)');
for (const t of targets) {
  if (t.unavailable) {
    console.log(`${t.target}: UNAVAILABLE — ${t.unavailable}`);
    continue;
  }
  const count = (v) => t.results.filter((r) => r.verdict === v).length;
  console.log(`${t.target}: ${count('OK')} OK, ${count('NON-STRICT')} NON-STRICT, ${count('FAILED')} FAILED of ${t.results.length}`);
}

writeFileSync(join(reportsDir, 'conformance.json'), JSON.stringify(data, null, 2));
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const color = { OK: '#c8f7c5', 'NON-STRICT': '#fdf2b3', FAILED: '#f7c5c5' };
const html = `<!doctype html><meta charset="utf-8"><title>sansock conformance</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}td.v{text-align:center;font-weight:600}details{font-weight:400;font-size:12px;max-width:40em}</style>
<h1>sansock conformance report</h1><p>Generated ${esc(data.generatedAt)}. Cases written from RFC 6455 in the spirit of the Autobahn test suite's categories.</p>
<ul>${targets.map((t) => `<li><b>${esc(t.target)}</b> (${esc(t.module)}): ${t.unavailable ? 'UNAVAILABLE — ' + esc(t.unavailable) : ['OK', 'NON-STRICT', 'FAILED'].map((v) => `${t.results.filter((r) => r.verdict === v).length} ${v}`).join(', ')}</li>`).join('')}</ul>
${sides.map(({ side, names, rows }) => `<h2>${side === 'server' ? 'Servers' : 'Clients'} under test</h2><table><tr><th>case</th><th>title</th><th>rule</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>
${rows.map((row) => `<tr><td>${esc(row.id)}</td><td>${esc(row.title)}</td><td>${esc(row.rfc)}</td>${names.map((n) => {
  const r = row.verdicts[n];
  if (!r) return '<td>-</td>';
  return `<td class="v" style="background:${color[r.verdict]}">${esc(r.verdict)}${r.known ? '*' : ''}<details><summary>${r.ms} ms</summary>${esc(r.detail)}${r.known ? '<br><i>known: ' + esc(r.known) + '</i>' : ''}</details></td>`;
}).join('')}</tr>`).join('\n')}
</table>`).join('\n')}<p>* a documented deviation, see fuzz/DIFFERENCES.md</p>`;
writeFileSync(join(reportsDir, 'conformance.html'), html);
console.log(`\nwrote ${relative(root, join(reportsDir, 'conformance.json'))} and ${relative(root, join(reportsDir, 'conformance.html'))}`);
process.exit(run.status ?? 1);
