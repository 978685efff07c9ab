/**
 * A chunk of feature activations in compressed-row form: per token, the features that fired and
 * their values. SAE codes are sparse (a TopK SAE with k = 32 of 2048 features keeps 1.6 %), so every
 * statistic after the encoder walks these lists instead of the dense [tokens, features] block.
 */
export interface SparseRows {
  nRows: number;
  /** row r's entries are [rowStart[r], rowStart[r + 1]) */
  rowStart: Uint32Array /* [nRows + 1] */;
  /** feature index of each entry, ascending within a row */
  features: Uint32Array /* [nnz] */;
  values: Float32Array /* [nnz] */;
}

/** Dense row-major [nRows, width] → compressed rows, keeping every non-zero entry. */
export function sparsifyRows(dense: Float32Array, nRows: number, width: number): SparseRows {
  if (dense.length !== nRows * width) {
    throw new RangeError(`sparsifyRows: ${dense.length} values cannot be ${nRows} rows of ${width}`);
  }
  let nnz = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) nnz++;
  const rowStart = new Uint32Array(nRows + 1);
  const features = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  let at = 0;
  for (let r = 0; r < nRows; r++) {
    rowStart[r] = at;
    const base = r * width;
    for (let f = 0; f < width; f++) {
      const v = dense[base + f]!;
      if (v !== 0) {
        features[at] = f;
        values[at] = v;
        at++;
      }
    }
  }
  rowStart[nRows] = at;
  return { nRows, rowStart, features, values };
}

/**
 * Per-row (value, index) pairs [nRows, k], as the top-k encoders return them (indices in any order;
 * a repeated index adds up, as matching pursuit needs) → compressed rows. Repeats are summed in pair
 * order in float32, as a scatter-add into a zeroed dense row is, so the result equals
 * sparsifyRows of that dense row bit for bit.
 */
export function sparsifyPairs(values: Float32Array, indices: Int32Array, nRows: number, k: number, width: number): SparseRows {
  if (values.length !== nRows * k || indices.length !== nRows * k) {
    throw new RangeError(`sparsifyPairs: ${values.length} values and ${indices.length} indices cannot be ${nRows} rows of ${k} pairs`);
  }
  const rowStart = new Uint32Array(nRows + 1);
  const features = new Uint32Array(nRows * k);
  const out = new Float32Array(nRows * k);
  // sums is zero outside the row at hand; lastRow tells which features the row has listed already.
  const sums = new Float32Array(width);
  const lastRow = new Int32Array(width).fill(-1);
  let at = 0;
  for (let r = 0; r < nRows; r++) {
    rowStart[r] = at;
    const start = at;
    for (let i = r * k; i < (r + 1) * k; i++) {
      const f = indices[i]!;
      if (f < 0 || f >= width) throw new RangeError(`sparsifyPairs: row ${r} names feature ${f}, outside [0, ${width})`);
      if (lastRow[f] !== r) {
        lastRow[f] = r;
        features[at++] = f;
      }
      sums[f]! += values[i]!;
    }
    features.subarray(start, at).sort();
    let kept = start;
    for (let i = start; i < at; i++) {
      const f = features[i]!;
      const v = sums[f]!;
      sums[f] = 0;
      if (v !== 0) {
        features[kept] = f;
        out[kept++] = v;
      }
    }
    at = kept;
  }
  rowStart[nRows] = at;
  return { nRows, rowStart, features: features.subarray(0, at), values: out.subarray(0, at) };
}

/** Empties rows 0, `every`, 2·`every`, … in place (their entries are dropped); returns the rows left. */
export function clearEveryNthRow(rows: SparseRows, every: number): SparseRows {
  const { nRows, rowStart, features, values } = rows;
  let at = 0;
  let start = rowStart[0]!;
  for (let r = 0; r < nRows; r++) {
    const end = rowStart[r + 1]!;
    rowStart[r] = at;
    if (r % every !== 0) {
      features.copyWithin(at, start, end);
      values.copyWithin(at, start, end);
      at += end - start;
    }
    start = end;
  }
  rowStart[nRows] = at;
  return { nRows, rowStart, features: features.subarray(0, at), values: values.subarray(0, at) };
}
