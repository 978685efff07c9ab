/**
 * Which tokens a feature fires on, and which tokens come just before: each token's share of the
 * feature's total |activation| over the corpus. The heuristic label and the index's token search
 * are built from these.
 */
import type { FeatureColumns } from './featureColumns';
import { TopK } from './topK';

export interface TokenShare {
  id: number;
  /** fraction of the feature's total |activation|, 0…1 */
  share: number;
}

export interface TokenProfile {
  /** tokens the feature fires on, largest share first */
  current: TokenShare[];
  /** tokens just before the ones it fires on */
  previous: TokenShare[];
}

/**
 * Profiles of every feature. `tokenIds` is the corpus (global token index → id); a token at
 * position 0 of its sequence has no previous token.
 */
export function tokenProfiles(
  columns: FeatureColumns,
  tokenIds: Uint16Array,
  seqLen: number,
  dVocab: number,
  k: number,
): TokenProfile[] {
  const current = new Float64Array(dVocab);
  const previous = new Float64Array(dVocab);
  const touched: number[] = [];
  const top = new TopK(k);
  const profiles: TokenProfile[] = [];
  const { colStart, tokens, values } = columns;

  const take = (weights: Float64Array, total: number): TokenShare[] => {
    top.clear();
    for (const id of touched) if (weights[id]! > 0) top.push(weights[id]!, id);
    return top.entries().map(({ id, value }) => ({ id, share: value / total }));
  };

  for (let f = 0; f < columns.dSae; f++) {
    touched.length = 0;
    let total = 0;
    for (let i = colStart[f]!, end = colStart[f + 1]!; i < end; i++) {
      const t = tokens[i]!;
      const w = Math.abs(values[i]!);
      const id = tokenIds[t]!;
      if (current[id] === 0 && previous[id] === 0) touched.push(id);
      current[id]! += w;
      total += w;
      if (t % seqLen !== 0) {
        const prev = tokenIds[t - 1]!;
        if (current[prev] === 0 && previous[prev] === 0) touched.push(prev);
        previous[prev]! += w;
      }
    }
    profiles.push(total > 0 ? { current: take(current, total), previous: take(previous, total) } : { current: [], previous: [] });
    for (const id of touched) {
      current[id] = 0;
      previous[id] = 0;
    }
  }
  return profiles;
}
