import { describe, expect, it } from 'vitest';
import { CoactivationAccumulator, correlationStride } from './coactivation';
import { sparsifyRows } from '../sae/sparseRows';
import { randomActs } from './testData';

/** Pearson r of two columns of a dense [T, F] block over the given rows. */
function pearson(acts: Float32Array, F: number, rows: number[], i: number, j: number): number {
  const n = rows.length;
  let [si, sj, sii, sjj, sij] = [0, 0, 0, 0, 0];
  for (const t of rows) {
    const [a, b] = [acts[t * F + i]!, acts[t * F + j]!];
    si += a;
    sj += b;
    sii += a * a;
    sjj += b * b;
    sij += a * b;
  }
  const cov = sij / n - (si / n) * (sj / n);
  return cov / Math.sqrt((sii / n - (si / n) ** 2) * (sjj / n - (sj / n) ** 2));
}

describe('co-activation', () => {
  const [T, F, seqLen] = [240, 10, 8];
  const acts = randomActs(T, F, 0.3, 7);
  // Feature 3 copies feature 1 at half strength wherever feature 1 fires: r = 1.
  for (let t = 0; t < T; t++) acts[t * F + 3] = acts[t * F + 1]! / 2;

  for (const stride of [1, 3]) {
    it(`finds each feature's most correlated features as Pearson r over every ${stride === 1 ? '' : `${stride}rd `}token, BOS left out`, () => {
      const acc = new CoactivationAccumulator(F, stride, seqLen);
      for (let t = 0; t < T; t += 16) acc.add(sparsifyRows(acts.slice(t * F, (t + 16) * F), 16, F), t);
      const rows = Array.from({ length: T }, (_, t) => t).filter((t) => t % stride === 0 && t % seqLen !== 0);
      expect(acc.sampledTokens).toBe(rows.length);
      const k = 4;
      const top = acc.topCorrelated(k);
      for (let i = 0; i < F; i++) {
        const expected = Array.from({ length: F }, (_, j) => ({ j, r: j === i ? -Infinity : pearson(acts, F, rows, i, j) }))
          .filter((e) => e.r > 0)
          .sort((a, b) => b.r - a.r)
          .slice(0, k);
        const got = Array.from(top.indices.subarray(i * k, (i + 1) * k)).filter((j) => j >= 0);
        expect(got).toEqual(expected.map((e) => e.j));
        expected.forEach((e, n) => expect(top.values[i * k + n]).toBeCloseTo(e.r, 5));
      }
      expect(top.indices[1 * k]).toBe(3);
      expect(top.values[1 * k]).toBeCloseTo(1, 5);
    });
  }

  it('samples dense SAEs sparsely enough to keep the pair updates bounded', () => {
    expect(correlationStride(32)).toBe(1);
    expect(correlationStride(140)).toBe(10);
  });

  it('refuses SAEs too wide for pair sums', () => {
    expect(() => new CoactivationAccumulator(9000)).toThrow(/d_sae ≤ 8192/);
  });
});
