/** Small synthetic activation sets for the analysis tests: sparse, seeded, with known answers. */
import { FeatureColumnsBuilder, type FeatureColumns } from './featureColumns';
import { seededRandom } from './random';
import { sparsifyRows } from '../sae/sparseRows';

/** Dense [nTokens, dSae] activations with about `density` of entries non-zero (values in (0, 4]). */
export function randomActs(nTokens: number, dSae: number, density: number, seed: number, signed = false): Float32Array {
  const random = seededRandom(seed);
  const acts = new Float32Array(nTokens * dSae);
  for (let i = 0; i < acts.length; i++) {
    if (random() < density) {
      const v = 0.01 + random() * 4;
      acts[i] = signed && random() < 0.4 ? -v : v;
    }
  }
  return acts;
}

/** Columns of dense activations, fed in chunks of `chunkTokens` as the corpus pass does. */
export function columnsOf(acts: Float32Array, nTokens: number, dSae: number, chunkTokens = 7): FeatureColumns {
  const builder = new FeatureColumnsBuilder(dSae);
  for (let t = 0; t < nTokens; t += chunkTokens) {
    const n = Math.min(chunkTokens, nTokens - t);
    builder.add(sparsifyRows(acts.slice(t * dSae, (t + n) * dSae), n, dSae), t);
  }
  return builder.finish();
}
