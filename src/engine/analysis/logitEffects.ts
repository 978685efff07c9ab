/**
 * What each feature's decoder direction does to the next-token logits when it is written into the
 * residual stream and read straight out through the unembedding (the "direct logit effect" of
 * Neuronpedia and sae_vis): W_dec · W_U, with two corrections that make it faithful to the model.
 *
 * - An attention-output SAE on `hook_z` decodes into each head's z, not into the residual stream:
 *   its direction reaches the stream through the heads' output projections, Σ_h W_dec[f, h] · W_O[h],
 *   which is one matrix product with W_O flattened to [n_heads · d_head, d_model].
 * - The final LayerNorm centres its input and scales each dimension by ln_final.w before W_U, so a
 *   direction d contributes (d − mean(d)) ⊙ ln_final.w. Its overall 1/σ scale depends on the token
 *   and is left out (effects are comparable within a feature, as in both references).
 *
 * Effects are centred over the vocabulary: adding a constant to every logit changes no probability.
 */
import type { SaeKind } from '../model/hookShapes';
import type { ModelWeights } from '../model/modelWeights';
import { EngineError } from '../types';
import { binOf } from './histogram';
import { MatMul } from './matmul';
import { TopK } from './topK';

export interface LogitEffects {
  k: number;
  /** [d_sae, k] tokens most promoted, strongest first, and their effects */
  positiveIds: Int32Array;
  positiveValues: Float32Array;
  /** [d_sae, k] tokens most suppressed, strongest (most negative) first */
  negativeIds: Int32Array;
  negativeValues: Float32Array;
  bins: number;
  /** per feature, the histogram of its effect on every token of the vocabulary */
  histLo: Float32Array /* [d_sae] */;
  histHi: Float32Array /* [d_sae] */;
  histCounts: Uint32Array /* [d_sae, bins] */;
}

export interface DecoderGeometry {
  /** [d_sae, d_in] */
  W_dec: Float32Array;
  dSae: number;
  dIn: number;
  /** 'attn': the SAE reads blocks.{layer}.attn.hook_z; resid and mlp SAEs write the residual stream directly */
  kind: SaeKind;
  layer: number;
}

/** Each feature's decoder direction in the residual stream, [d_sae, d_model]. */
export async function residualDirections(dec: DecoderGeometry, weights: ModelWeights, dModel: number): Promise<Float32Array> {
  if (dec.kind !== 'attn') return dec.W_dec;
  const W_O = weights.W_O[dec.layer];
  if (!W_O) throw new EngineError(`The model's weights have no W_O for layer ${dec.layer}, which an attention-output SAE needs. Rebuild the bundle.`);
  const project = await MatMul.create(W_O, dec.dIn, dModel);
  try {
    return await project.run(dec.W_dec, dec.dSae);
  } finally {
    await project.release();
  }
}

/** (d − mean(d)) ⊙ ln_final.w for every row d. */
export function throughFinalLayerNorm(directions: Float32Array, rows: number, dModel: number, lnW: Float32Array): Float32Array {
  const out = new Float32Array(rows * dModel);
  for (let r = 0; r < rows; r++) {
    const base = r * dModel;
    let mean = 0;
    for (let i = 0; i < dModel; i++) mean += directions[base + i]!;
    mean /= dModel;
    for (let i = 0; i < dModel; i++) out[base + i] = (directions[base + i]! - mean) * lnW[i]!;
  }
  return out;
}

export async function logitEffects(
  dec: DecoderGeometry,
  weights: ModelWeights,
  dims: { dModel: number; dVocab: number },
  k: number,
  bins: number,
): Promise<LogitEffects> {
  const { dSae } = dec;
  const { dModel, dVocab } = dims;
  const directions = throughFinalLayerNorm(await residualDirections(dec, weights, dModel), dSae, dModel, weights.lnFinalW);
  const out: LogitEffects = {
    k,
    positiveIds: new Int32Array(dSae * k).fill(-1),
    positiveValues: new Float32Array(dSae * k),
    negativeIds: new Int32Array(dSae * k).fill(-1),
    negativeValues: new Float32Array(dSae * k),
    bins,
    histLo: new Float32Array(dSae),
    histHi: new Float32Array(dSae),
    histCounts: new Uint32Array(dSae * bins),
  };
  const unembed = await MatMul.create(weights.W_U, dModel, dVocab);
  const top = new TopK(k);
  const bottom = new TopK(k);
  try {
    await unembed.forEachBlock(directions, dSae, 256, (block, firstRow, count) => {
      for (let r = 0; r < count; r++) {
        const f = firstRow + r;
        const row = block.subarray(r * dVocab, (r + 1) * dVocab);
        let mean = 0;
        for (let v = 0; v < dVocab; v++) mean += row[v]!;
        mean /= dVocab;
        let lo = Infinity;
        let hi = -Infinity;
        top.clear();
        bottom.clear();
        for (let v = 0; v < dVocab; v++) {
          const e = row[v]! - mean;
          if (e < lo) lo = e;
          if (e > hi) hi = e;
          top.push(e, v);
          bottom.push(-e, v);
        }
        for (let i = 0; i < top.size; i++) {
          out.positiveIds[f * k + i] = top.ids[i]!;
          out.positiveValues[f * k + i] = top.values[i]!;
          out.negativeIds[f * k + i] = bottom.ids[i]!;
          out.negativeValues[f * k + i] = -bottom.values[i]!;
        }
        out.histLo[f] = lo;
        out.histHi[f] = hi;
        const counts = out.histCounts.subarray(f * bins, (f + 1) * bins);
        for (let v = 0; v < dVocab; v++) counts[binOf(row[v]! - mean, lo, hi, bins)]!++;
      }
    });
  } finally {
    await unembed.release();
  }
  return out;
}
