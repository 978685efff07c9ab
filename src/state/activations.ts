/**
 * Views of a prompt's feature activations `acts` [nTokens, dSae] (row-major, token-major). Pure, so
 * the strip's colours and the token panel's lists are tested without a browser.
 */
import { EngineError } from '../errors/engineError';

export interface FeatureValue {
  index: number;
  value: number;
}

/** Per token, the feature with the largest |activation| and its (signed) value; -1 where all are 0. */
export function strongestFeatures(
  acts: Float32Array,
  nTokens: number,
  dSae: number,
): { feature: Int32Array /* [nTokens] */; value: Float32Array /* [nTokens] */ } {
  const feature = new Int32Array(nTokens).fill(-1);
  const value = new Float32Array(nTokens);
  for (let t = 0; t < nTokens; t++) {
    const row = t * dSae;
    let best = 0;
    for (let f = 0; f < dSae; f++) {
      const v = acts[row + f]!;
      if (Math.abs(v) > Math.abs(best)) {
        best = v;
        feature[t] = f;
      }
    }
    value[t] = best;
  }
  return { feature, value };
}

/** One feature's activation on every token. */
export function featureColumn(acts: Float32Array, nTokens: number, dSae: number, feature: number): Float32Array {
  if (feature < 0 || feature >= dSae) {
    throw new EngineError(`Feature ${feature} does not exist: this SAE has features 0 to ${dSae - 1}.`, undefined, 'not-found');
  }
  const column = new Float32Array(nTokens);
  for (let t = 0; t < nTokens; t++) column[t] = acts[t * dSae + feature]!;
  return column;
}

/** The `k` features active on `token`, largest |activation| first; zeros are left out. */
export function topFeaturesAt(acts: Float32Array, dSae: number, token: number, k: number): FeatureValue[] {
  const row = acts.subarray(token * dSae, (token + 1) * dSae);
  const active: FeatureValue[] = [];
  for (let f = 0; f < row.length; f++) {
    const v = row[f]!;
    if (v !== 0) active.push({ index: f, value: v });
  }
  active.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.index - b.index);
  return active.slice(0, k);
}

/** How many features are non-zero on `token`. */
export function activeCountAt(acts: Float32Array, dSae: number, token: number): number {
  let n = 0;
  for (let i = token * dSae, end = i + dSae; i < end; i++) if (acts[i] !== 0) n++;
  return n;
}

/** Largest |value| over `values[from:]` (BOS, at 0, is usually left out: its activations dwarf the rest). */
export function maxAbs(values: ArrayLike<number>, from = 0): number {
  let m = 0;
  for (let i = from; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

/** The `k` features with the largest |activation| anywhere in tokens `from…`, each with its peak token. */
export function topFeaturesOverall(
  acts: Float32Array,
  nTokens: number,
  dSae: number,
  k: number,
  from = 0,
): (FeatureValue & { token: number })[] {
  const peak = new Float32Array(dSae);
  const peakToken = new Int32Array(dSae).fill(-1);
  for (let t = from; t < nTokens; t++) {
    const row = t * dSae;
    for (let f = 0; f < dSae; f++) {
      const v = acts[row + f]!;
      if (Math.abs(v) > Math.abs(peak[f]!)) {
        peak[f] = v;
        peakToken[f] = t;
      }
    }
  }
  const active: (FeatureValue & { token: number })[] = [];
  for (let f = 0; f < dSae; f++) {
    if (peakToken[f]! >= 0) active.push({ index: f, value: peak[f]!, token: peakToken[f]! });
  }
  active.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.index - b.index);
  return active.slice(0, k);
}
