/**
 * Which tokens a feature fires on: each token's share of the feature's total |activation| over
 * the corpus. The dashboard's "fires most on" list and the feature index's token search use it.
 */
import type { TokenShare } from '../../dashboardData/featureDashboard';
import type { FeatureColumns } from './featureColumns';
import { TopK } from './topK';

/** The `k` tokens of largest share for every feature; `tokenIds` is the corpus (global token index → id). */
export function tokenProfiles(columns: FeatureColumns, tokenIds: Uint16Array, dVocab: number, k: number): TokenShare[][] {
  const weight = new Float64Array(dVocab);
  const touched: number[] = [];
  const top = new TopK(k);
  const profiles: TokenShare[][] = [];
  const { colStart, tokens, values } = columns;
  for (let f = 0; f < columns.dSae; f++) {
    touched.length = 0;
    let total = 0;
    for (let i = colStart[f]!, end = colStart[f + 1]!; i < end; i++) {
      const id = tokenIds[tokens[i]!]!;
      const w = Math.abs(values[i]!);
      if (weight[id] === 0) touched.push(id);
      weight[id]! += w;
      total += w;
    }
    top.clear();
    for (const id of touched) top.push(weight[id]!, id);
    profiles.push(top.entries().map(({ id, value }) => ({ id, share: value / total })));
    for (const id of touched) weight[id] = 0;
  }
  return profiles;
}
