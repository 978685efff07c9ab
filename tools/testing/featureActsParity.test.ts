import { describe, expect, it } from 'vitest';
import { compareFeatureActs } from './featureActsParity';

describe('comparing feature activations with PyTorch', () => {
  const expected = new Float32Array([0, 2, 2, 0, /* row 1 */ 1, 0, 0, 3]);

  it('accepts rows equal within the tolerance', () => {
    const ours = expected.map((v) => v + 5e-5);
    expect(compareFeatureActs(ours, expected, 2, 4, 1e-4)).toEqual({ maxAbsDiff: expect.closeTo(5e-5, 6) as number, tieSwappedRows: [], mismatchedRows: [] });
  });

  it('accepts a top-k tie resolved at another index, and reports it', () => {
    // pre-activations tied at indices 2 and 3: PyTorch kept index 2, ORT kept index 3
    const ours = new Float32Array([0, 2, 0, 2, /* row 1 */ 1, 0, 0, 3]);
    expect(compareFeatureActs(ours, expected, 2, 4, 1e-4)).toMatchObject({ tieSwappedRows: [0], mismatchedRows: [] });
  });

  it('reports a row with different values, with its largest difference', () => {
    const ours = new Float32Array([0, 2, 2, 0, 1, 0, 0.5, 3]);
    expect(compareFeatureActs(ours, expected, 2, 4, 1e-4).mismatchedRows).toEqual([{ row: 1, maxAbsDiff: 0.5 }]);
  });
});
