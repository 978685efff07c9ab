import { describe, expect, it } from 'vitest';
import { FeatureColumnsBuilder } from './featureColumns';
import { sparsifyRows } from '../sae/sparseRows';
import { columnsOf, randomActs } from './testData';

describe('feature columns', () => {
  it('hold exactly the non-zero activations of each feature, in token order, however the corpus was chunked', () => {
    const [T, F] = [53, 9];
    const acts = randomActs(T, F, 0.2, 1);
    for (const chunk of [1, 7, 53]) {
      const cols = columnsOf(acts, T, F, chunk);
      expect(cols.nTokens).toBe(T);
      for (let f = 0; f < F; f++) {
        const expected: [number, number][] = [];
        for (let t = 0; t < T; t++) if (acts[t * F + f] !== 0) expected.push([t, acts[t * F + f]!]);
        const actual: [number, number][] = [];
        for (let i = cols.colStart[f]!; i < cols.colStart[f + 1]!; i++) actual.push([cols.tokens[i]!, cols.values[i]!]);
        expect(actual).toEqual(expected);
      }
    }
  });

  it('refuse chunks that arrive out of corpus order', () => {
    const b = new FeatureColumnsBuilder(2);
    b.add(sparsifyRows(new Float32Array(4), 2, 2), 10);
    expect(() => b.add(sparsifyRows(new Float32Array(4), 2, 2), 0)).toThrow(/after token 12/);
  });
});
