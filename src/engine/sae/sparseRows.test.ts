import { describe, expect, it } from 'vitest';
import { clearEveryNthRow, type SparseRows, sparsifyPairs, sparsifyRows } from './sparseRows';

const plain = (rows: SparseRows) => ({
  nRows: rows.nRows,
  rowStart: Array.from(rows.rowStart),
  features: Array.from(rows.features),
  values: Array.from(rows.values),
});

describe('sparse rows', () => {
  it('turns (value, index) pairs into the rows of their scatter-add: ascending, repeats summed, zeros left out', () => {
    const [nRows, k, width] = [3, 4, 6];
    // row 0: unordered; row 1: feature 2 twice, and 4 − 4 cancelling; row 2: a zero value and 0.1 + 0.2 in float32
    const indices = Int32Array.from([5, 0, 3, 1, 2, 4, 2, 4, 1, 3, 1, 1]);
    const values = Float32Array.from([1.5, -2, 0.25, 3, 1, 4, 2, -4, 0.1, 0, 0.2, 0.3]);
    const scattered = new Float32Array(nRows * width);
    for (let i = 0; i < indices.length; i++) scattered[Math.floor(i / k) * width + indices[i]!]! += values[i]!;

    const rows = sparsifyPairs(values, indices, nRows, k, width);
    expect(plain(rows)).toEqual(plain(sparsifyRows(scattered, nRows, width)));
    expect(plain(rows).features).toEqual([0, 1, 3, 5, 2, 1]);
  });

  it('says which row names a feature outside the SAE', () => {
    expect(() => sparsifyPairs(Float32Array.from([1, 1]), Int32Array.from([0, 7]), 2, 1, 4)).toThrow(/row 1 names feature 7, outside \[0, 4\)/);
  });

  it('empties every n-th row in place and keeps the others as they were', () => {
    const dense = Float32Array.from({ length: 6 * 3 }, (_, i) => (i % 4 === 0 ? 0 : i));
    const kept = dense.slice();
    for (const r of [0, 3]) kept.fill(0, r * 3, (r + 1) * 3);
    expect(plain(clearEveryNthRow(sparsifyRows(dense, 6, 3), 3))).toEqual(plain(sparsifyRows(kept, 6, 3)));
  });
});
