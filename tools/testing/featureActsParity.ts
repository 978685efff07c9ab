/**
 * Compares feature activations from two implementations of the same SAE (ours against PyTorch's),
 * allowing for exact ties: where top-k or argmax meets equal values, PyTorch and ORT may keep
 * different indices. A row that differs elementwise still matches when the two rows hold the same
 * values (sorted) — the same activations at tied indices.
 */

interface FeatureActsComparison {
  /** largest elementwise difference over the rows that match elementwise */
  maxAbsDiff: number;
  /** rows that match only up to a permutation of tied indices */
  tieSwappedRows: number[];
  /** rows that do not match at all, with their largest difference */
  mismatchedRows: { row: number; maxAbsDiff: number }[];
}

export function compareFeatureActs(ours: Float32Array, expected: Float32Array, nRows: number, width: number, tolerance: number): FeatureActsComparison {
  if (ours.length !== nRows * width || expected.length !== nRows * width) {
    throw new Error(`compareFeatureActs: expected ${nRows}×${width} values, got ${ours.length} and ${expected.length}`);
  }
  const report: FeatureActsComparison = { maxAbsDiff: 0, tieSwappedRows: [], mismatchedRows: [] };
  for (let r = 0; r < nRows; r++) {
    const a = ours.subarray(r * width, (r + 1) * width);
    const b = expected.subarray(r * width, (r + 1) * width);
    let rowMax = 0;
    for (let i = 0; i < width; i++) rowMax = Math.max(rowMax, Math.abs(a[i] - b[i]));
    if (rowMax <= tolerance) {
      report.maxAbsDiff = Math.max(report.maxAbsDiff, rowMax);
    } else if (sortedMaxAbsDiff(a, b) <= tolerance) {
      report.tieSwappedRows.push(r);
    } else {
      report.mismatchedRows.push({ row: r, maxAbsDiff: rowMax });
    }
  }
  return report;
}

function sortedMaxAbsDiff(a: Float32Array, b: Float32Array): number {
  const sa = Float32Array.from(a).sort();
  const sb = Float32Array.from(b).sort();
  let max = 0;
  for (let i = 0; i < sa.length; i++) max = Math.max(max, Math.abs(sa[i] - sb[i]));
  return max;
}
