/** Equal-width histograms, the one binning rule shared by every histogram panel. */

export interface Histogram {
  /** left edge of the first bin */
  lo: number;
  /** right edge of the last bin (inclusive) */
  hi: number;
  /** one count per bin */
  counts: Uint32Array;
}

/** The bin of `value` among `bins` equal bins over [lo, hi]; values outside are clamped to the ends. */
export function binOf(value: number, lo: number, hi: number, bins: number): number {
  const width = (hi - lo) / bins;
  if (!(width > 0)) return bins - 1;
  const b = Math.floor((value - lo) / width);
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/** Counts `values[from:to]` into `bins` bins over [lo, hi], adding to `into` when given. */
export function histogram(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  bins: number,
  from = 0,
  to = values.length,
  into: Uint32Array = new Uint32Array(bins),
): Uint32Array {
  for (let i = from; i < to; i++) into[binOf(values[i]!, lo, hi, bins)]!++;
  return into;
}
