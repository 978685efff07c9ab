/**
 * Per-feature summary statistics and activation histograms, from the corpus's feature columns.
 * Histograms count active tokens only (a feature is zero almost everywhere; the density says how
 * often it fires) over [0, max] — or [min, max] for SAEs whose codes are signed.
 */
import type { FeatureColumns } from './featureColumns';
import { histogram } from './histogram';

export interface FeatureStats {
  /** tokens on which each feature is non-zero */
  nActive: Float64Array /* [d_sae] */;
  max: Float32Array /* [d_sae] */;
  min: Float32Array /* [d_sae] */;
  /** mean over the tokens where the feature is active */
  meanActive: Float32Array /* [d_sae] */;
  bins: number;
  histLo: Float32Array /* [d_sae] */;
  histHi: Float32Array /* [d_sae] */;
  histCounts: Uint32Array /* [d_sae, bins] */;
}

export function featureStats(columns: FeatureColumns, bins: number): FeatureStats {
  const { dSae, colStart, values } = columns;
  const nActive = new Float64Array(dSae);
  const max = new Float32Array(dSae);
  const min = new Float32Array(dSae);
  const meanActive = new Float32Array(dSae);
  const histLo = new Float32Array(dSae);
  const histHi = new Float32Array(dSae);
  const histCounts = new Uint32Array(dSae * bins);
  for (let f = 0; f < dSae; f++) {
    const from = colStart[f]!;
    const to = colStart[f + 1]!;
    nActive[f] = to - from;
    if (to === from) continue;
    let hi = -Infinity;
    let lo = Infinity;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (v > hi) hi = v;
      if (v < lo) lo = v;
      sum += v;
    }
    max[f] = hi;
    min[f] = lo;
    meanActive[f] = sum / (to - from);
    histLo[f] = Math.min(lo, 0);
    histHi[f] = Math.max(hi, 0);
    histogram(values, histLo[f]!, histHi[f]!, bins, from, to, histCounts.subarray(f * bins, (f + 1) * bins));
  }
  return { nActive, max, min, meanActive, bins, histLo, histHi, histCounts };
}
