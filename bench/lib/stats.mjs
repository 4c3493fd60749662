/** Summary statistics over the measured runs of one (scenario case, library). */

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values };
}

/**
 * How much better `value` is than `baseline`: > 1 means better, whichever direction the
 * metric goes (throughput: value / baseline; time or memory: baseline / value).
 */
export function betterRatio(value, baseline, higherIsBetter) {
  if (!(value > 0) || !(baseline > 0)) return undefined;
  return higherIsBetter ? value / baseline : baseline / value;
}
