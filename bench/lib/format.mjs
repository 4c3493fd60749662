/** Number formatting for the tables. */

/** 1234567 → "1.23 M": three significant digits with a k/M/G suffix. */
export function si(value) {
  const abs = Math.abs(value);
  const [scale, suffix] = abs >= 1e9 ? [1e9, ' G'] : abs >= 1e6 ? [1e6, ' M'] : abs >= 1e3 ? [1e3, ' k'] : [1, ''];
  return `${precise(value / scale)}${suffix}`;
}

/** Three significant digits, no suffix. */
export function precise(value) {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Bytes as B / KiB / MiB. */
export function bytes(value) {
  const abs = Math.abs(value);
  if (abs >= 1024 * 1024) return `${precise(value / (1024 * 1024))} MiB`;
  if (abs >= 1024) return `${precise(value / 1024)} KiB`;
  return `${precise(value)} B`;
}

export const ratio = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`);
