/**
 * Each feature's nearest neighbours by the cosine similarity of decoder directions: the features
 * that write most nearly the same thing into the model. One matrix product N·Nᵀ of the row-
 * normalised decoder, taken in blocks of rows on the ONNX runtime.
 */
import { transpose } from '../sae/matrix';
import { MatMul } from './matmul';
import { TopK } from './topK';

export interface Neighbours {
  k: number;
  /** [d_sae, k] feature indices, most similar first; −1 where there are fewer */
  indices: Int32Array;
  /** [d_sae, k] cosine similarities */
  values: Float32Array;
}

export async function decoderNeighbours(W_dec: Float32Array, dSae: number, dIn: number, k: number): Promise<Neighbours> {
  const unit = new Float32Array(dSae * dIn);
  const live = new Uint8Array(dSae);
  for (let f = 0; f < dSae; f++) {
    let norm = 0;
    for (let i = 0; i < dIn; i++) norm += W_dec[f * dIn + i]! ** 2;
    if (norm === 0) continue;
    live[f] = 1;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dIn; i++) unit[f * dIn + i] = W_dec[f * dIn + i]! * scale;
  }
  const indices = new Int32Array(dSae * k).fill(-1);
  const values = new Float32Array(dSae * k);
  const gram = await MatMul.create(transpose(unit, dSae, dIn), dIn, dSae);
  const top = new TopK(k);
  try {
    await gram.forEachBlock(unit, dSae, 256, (block, firstRow, count) => {
      for (let r = 0; r < count; r++) {
        const f = firstRow + r;
        if (!live[f]) continue;
        top.clear();
        const row = block.subarray(r * dSae, (r + 1) * dSae);
        for (let j = 0; j < dSae; j++) if (j !== f && live[j]) top.push(row[j]!, j);
        for (let i = 0; i < top.size; i++) {
          indices[f * k + i] = top.ids[i]!;
          values[f * k + i] = Math.min(1, top.values[i]!);
        }
      }
    });
  } finally {
    await gram.release();
  }
  return { k, indices, values };
}
