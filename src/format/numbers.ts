/** Numbers as the reader sees them, shared by every view and component. */

/** "0 B", "512 B", "1.5 kB", "23.4 MB" (decimal units, as download sizes usually are). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** Activations with about three significant digits: "0.042", "2.50", "13.7", "128". */
export function formatActivation(value: number): string {
  const a = Math.abs(value);
  if (a === 0) return '0';
  if (a >= 100) return value.toFixed(0);
  if (a >= 10) return value.toFixed(1);
  if (a >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A fraction of tokens as a percentage with sensible precision: "12.3%", "0.482%", "0.0031%", "0%". */
export function formatDensity(fraction: number): string {
  if (fraction <= 0) return '0%';
  const pct = fraction * 100;
  if (pct >= 10) return `${pct.toFixed(1)}%`;
  if (pct >= 1) return `${pct.toFixed(2)}%`;
  return `${pct.toPrecision(2)}%`;
}

/** "1 in 813 tokens" — a density as a reader pictures it. */
export function densityInWords(fraction: number): string {
  if (fraction <= 0) return 'never active on the corpus';
  if (fraction >= 0.5) return `active on ${Math.round(fraction * 100)}% of tokens`;
  const n = Math.round(1 / fraction);
  return `1 in ${n.toLocaleString('en-US')} tokens`;
}

/** Counts with thousands separators. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A signed effect with an explicit sign: "+0.52", "−1.3". */
export function formatSigned(value: number): string {
  const a = Math.abs(value);
  const digits = a >= 10 ? 1 : a >= 1 ? 2 : 3;
  const s = a.toFixed(digits);
  return value < 0 ? `−${s}` : `+${s}`;
}
