/** Row-major matrix helpers the loaders need (files disagree on which way round a matrix is stored). */

/** [rows, cols] → [cols, rows] */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}
