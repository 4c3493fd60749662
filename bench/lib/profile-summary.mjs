/** Self time per function (name, file:line) of a .cpuprofile, most first. */
import { readFileSync } from 'node:fs';

export function topSelfTime(file, limit = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const selfSamples = new Map();
  for (const sample of profile.samples) selfSamples.set(sample, (selfSamples.get(sample) ?? 0) + 1);
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const count = selfSamples.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}  ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  }
  const total = profile.samples.length;
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, limit);
  return { total, top: top.map(([where, count]) => ({ where, share: count / total })) };
}

// As a script: node bench/lib/profile-summary.mjs <file.cpuprofile> [limit]
if (import.meta.url === `file://${process.argv[1]}`) {
  const { total, top } = topSelfTime(process.argv[2], Number(process.argv[3] ?? 20));
  console.log(`${total} samples, top self time:`);
  for (const { where, share } of top) console.log(`${(100 * share).toFixed(1).padStart(5)}%  ${where}`);
}
