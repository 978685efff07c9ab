/**
 * Which attention heads, and which of their source tokens, write a feature (direct feature
 * attribution, DFA, as sae_vis and Kissane et al. compute it). A feature's pre-activation is linear
 * in what its SAE reads, so it splits exactly into parts that add up to it:
 *
 * - an attention-output SAE reads z = concat_h z_h with z_h[d] = Σ_s pattern_h[d, s] · v_h[s], so
 *   pre_f[d] = Σ_h Σ_s pattern_h[d, s] · (v_h[s] · w_f,h) + c_f, where w_f,h is head h's block of the
 *   feature's encoder column and c_f = b_enc[f] − b_dec · w_f (b_dec only where it is subtracted);
 * - a residual SAE at block L reads the embeddings plus every earlier block's attention output
 *   (Σ_h z_h W_O[h] + b_O) and MLP output, so pre_f[d] = embeddings·w + Σ_l Σ_h (z_l,h[d] W_O[l][h])·w
 *   + Σ_l b_O[l]·w + Σ_l mlp_out_l[d]·w + c_f.
 */
import type { Sae } from '../types';
import { EngineError } from '../types';

/** A feature's linear reading of its hook: its encoder column and the constant its biases add. */
export interface EncoderColumn {
  w: Float32Array /* [d_in] */;
  constant: number;
}

/** Architectures whose pre-activation is x·W_enc + b (matching pursuit's is not one linear map). */
const LINEAR_ENCODERS = new Set(['standard', 'topk', 'batchtopk', 'jumprelu', 'abstopk']);

/** Whether features of this architecture split exactly by head (their pre-activation is linear in the input). */
export function encodesLinearly(architecture: string): boolean {
  return LINEAR_ENCODERS.has(architecture);
}

export function encoderColumn(sae: Sae, feature: number): EncoderColumn {
  if (!encodesLinearly(sae.architecture)) {
    throw new EngineError(`${sae.architecture} SAEs do not encode linearly, so their features cannot be split by head.`, sae.id);
  }
  if (!Number.isInteger(feature) || feature < 0 || feature >= sae.dSae) {
    throw new EngineError(`Feature ${feature} does not exist: ${sae.id} has features 0 to ${sae.dSae - 1}.`, sae.id, 'not-found');
  }
  const { W_enc, b_enc, b_dec } = sae.weights;
  const w = new Float32Array(sae.dIn);
  let constant = b_enc[feature]!;
  for (let i = 0; i < sae.dIn; i++) {
    w[i] = W_enc[i * sae.dSae + feature]!;
    if (sae.applyBDecToInput) constant -= b_dec[i]! * w[i]!;
  }
  return { w, constant };
}

export interface AttentionShapes {
  /** tokens, BOS included */
  T: number;
  nHeads: number;
  dHead: number;
}

/**
 * DFA of an attention-output SAE's feature at destination token `dest`: [n_heads, T] contributions
 * (zero for sources after `dest`, which the causal mask hides); their sum plus `col.constant` is the
 * feature's pre-activation there.
 */
export function attentionDfa(
  v: Float32Array /* [T, n_heads, d_head] */,
  pattern: Float32Array /* [n_heads, T_dest, T_src] */,
  shapes: AttentionShapes,
  dest: number,
  col: EncoderColumn,
): Float32Array /* [n_heads, T] */ {
  const { T, nHeads, dHead } = shapes;
  if (col.w.length !== nHeads * dHead) {
    throw new EngineError(`The SAE reads ${col.w.length} floats per token, but hook_z holds ${nHeads} heads × ${dHead} = ${nHeads * dHead}.`);
  }
  if (!Number.isInteger(dest) || dest < 0 || dest >= T) throw new EngineError(`Token ${dest} is not in the text (0 … ${T - 1}).`, undefined, 'not-found');
  const out = new Float32Array(nHeads * T);
  for (let h = 0; h < nHeads; h++) {
    const wh = h * dHead;
    for (let s = 0; s <= dest; s++) {
      const a = pattern[(h * T + dest) * T + s]!;
      if (a === 0) continue;
      const vs = (s * nHeads + h) * dHead;
      let dot = 0;
      for (let i = 0; i < dHead; i++) dot += v[vs + i]! * col.w[wh + i]!;
      out[h * T + s] = a * dot;
    }
  }
  return out;
}

/** One block's share of the residual stream at a token, as the model's hooks give it. */
export interface BlockOutputs {
  z: Float32Array /* [T, n_heads, d_head] */;
  W_O: Float32Array /* [n_heads, d_head, d_model] */;
  b_O: Float32Array | null /* [d_model] */;
  mlpOut: Float32Array /* [T, d_model] */;
}

/** A residual feature's pre-activation at one token, split by what wrote the residual stream. */
export interface ResidualAttribution {
  embeddings: number;
  /** [blocks, n_heads]: each head's direct contribution */
  heads: Float32Array;
  /** per block: the attention output's bias */
  attnBias: Float32Array;
  /** per block */
  mlp: Float32Array;
  constant: number;
}

/**
 * Direct attribution of a residual SAE's feature at token `dest` to the embeddings, every head of
 * `blocks` (the blocks before the SAE's hook, in order), their attention biases and their MLPs.
 */
export function residualAttribution(
  embeddings: Float32Array /* [T, d_model]: hook_resid_pre of block 0 */,
  blocks: readonly BlockOutputs[],
  shapes: AttentionShapes & { dModel: number },
  dest: number,
  col: EncoderColumn,
): ResidualAttribution {
  const { T, nHeads, dHead, dModel } = shapes;
  if (col.w.length !== dModel) throw new EngineError(`The SAE reads ${col.w.length} floats per token, but the residual stream holds ${dModel}.`);
  if (!Number.isInteger(dest) || dest < 0 || dest >= T) throw new EngineError(`Token ${dest} is not in the text (0 … ${T - 1}).`, undefined, 'not-found');
  const dot = (a: Float32Array, offset: number) => {
    let s = 0;
    for (let i = 0; i < dModel; i++) s += a[offset + i]! * col.w[i]!;
    return s;
  };
  const heads = new Float32Array(blocks.length * nHeads);
  const attnBias = new Float32Array(blocks.length);
  const mlp = new Float32Array(blocks.length);
  blocks.forEach((b, l) => {
    for (let h = 0; h < nHeads; h++) {
      // (z_h[dest] W_O[h]) · w = z_h[dest] · (W_O[h] w)
      let sum = 0;
      for (let j = 0; j < dHead; j++) sum += b.z[(dest * nHeads + h) * dHead + j]! * dot(b.W_O, (h * dHead + j) * dModel);
      heads[l * nHeads + h] = sum;
    }
    attnBias[l] = b.b_O ? dot(b.b_O, 0) : 0;
    mlp[l] = dot(b.mlpOut, dest * dModel);
  });
  return { embeddings: dot(embeddings, dest * dModel), heads, attnBias, mlp, constant: col.constant };
}

/**
 * Each head's share of an attention SAE feature's encoder column (‖w_f,h‖² / ‖w_f‖²): how much the
 * feature can read from each head, before any text. Sums to 1 over the heads.
 */
export function weightHeadShares(col: EncoderColumn, nHeads: number, dHead: number): Float32Array {
  const shares = new Float32Array(nHeads);
  let total = 0;
  for (let h = 0; h < nHeads; h++) {
    let sq = 0;
    for (let i = h * dHead; i < (h + 1) * dHead; i++) sq += col.w[i]! * col.w[i]!;
    shares[h] = sq;
    total += sq;
  }
  if (total > 0) for (let h = 0; h < nHeads; h++) shares[h]! /= total;
  return shares;
}
