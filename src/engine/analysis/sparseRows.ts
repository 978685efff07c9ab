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
