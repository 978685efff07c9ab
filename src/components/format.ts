/** Number formats shared by the views. */

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
