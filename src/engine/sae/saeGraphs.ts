/**
 * ONNX graphs for SAE encoders and decoders, one formula per architecture (docs/ARCHITECTURE.md's
 * table), with the weights as initializers so that they are uploaded once and stay on the device.
 *
 * Encoder: any number of SAEs in one graph, so that encoding a text with all of them is one
 * session run (each run costs a dispatch, input copies and a wake-up of the thread pool). Inputs:
 * one `acts.<hook>` [n_tokens, d_in] per hook read. Outputs per SAE: dense activations
 * [n_tokens, d_sae], or for the architectures with at most k active latents per token, only those:
 * values and int32 indices [n_tokens, k] (repeated indices add up: matching pursuit can pick a
 * latent twice). Copying back k of d_sae values, and skipping the scatter into zeros, is most of
 * what these encoders cost beyond their matmul.
 * Screened SAEs (screening.ts) get no encoder here, only their share of one int8 MatMulInteger per
 * hook: input `quant.<hook>` (the activations quantized per token), output `products.<hook>`
 * [n_tokens, Σ d_sae] int32, every screened SAE on that hook side by side, one matmul for them all.
 * Decoder: input `feature_acts` (and `acts` when the SAE has a skip connection) → `reconstruction`.
 */
import { attr, GraphBuilder } from '../onnx/graphBuilder';
import type { Sae } from '../types';
import { transpose } from './matrix';
import { type ScreenedEncoder, ZERO_POINT } from './screening';

export const ACTS = 'acts';
export const FEATURE_ACTS = 'feature_acts';
export const RECONSTRUCTION = 'reconstruction';
const TOKENS = 'n_tokens';

const int64 = (...values: number[]) => new BigInt64Array(values.map(BigInt));

/** Where an encoder graph puts one SAE's activations. */
export type EncoderOutput =
  | { kind: 'dense'; acts: string }
  | { kind: 'sparse'; values: string; indices: string; k: number }
  | { kind: 'screened'; products: string; width: number; column: number; encoder: ScreenedEncoder };

export interface EncoderModel {
  model: Uint8Array;
  /** hook name → graph input, for hooks a dense encoder reads */
  inputs: Map<string, string>;
  /** hook name → graph input of its quantized activations, for hooks a screened SAE reads */
  quantInputs: Map<string, string>;
  /** one per SAE, in the order given */
  outputs: EncoderOutput[];
}

const encoderInput = (hookName: string) => `${ACTS}.${hookName}`;

/** `screened[i]`: SAE i's screened encoder, or null to encode it densely. */
export function buildEncoderModel(saes: readonly Sae[], screened: readonly (ScreenedEncoder | null)[] = []): EncoderModel {
  const g = new GraphBuilder(saes.length === 1 ? `${saes[0]!.id}_encoder` : 'sae_encoders');
  const inputs = new Map<string, string>();
  const quantInputs = new Map<string, string>();
  const products = screenedProducts(g, saes, screened, quantInputs);
  const outputs = saes.map((sae, i): EncoderOutput => {
    const encoder = screened[i];
    if (encoder) return { kind: 'screened', encoder, ...products.get(i)! };
    let x = inputs.get(sae.hookName);
    if (!x) {
      x = g.input(encoderInput(sae.hookName), 'float32', [TOKENS, sae.dIn]);
      inputs.set(sae.hookName, x);
    }
    return addEncoder(g, sae, x, `sae${i}.`);
  });
  const what = saes.map((s, i) => `${screened[i] ? 'screened ' : ''}${s.architecture} SAE on ${s.hookName}`).join(', ');
  return { model: g.toModel({ docString: `encoders: ${what}` }), inputs, quantInputs, outputs };
}

/** One MatMulInteger per hook over the int8 columns of every screened SAE reading it; SAE index → its columns. */
function screenedProducts(
  g: GraphBuilder,
  saes: readonly Sae[],
  screened: readonly (ScreenedEncoder | null)[],
  quantInputs: Map<string, string>,
): Map<number, { products: string; width: number; column: number }> {
  const byHook = new Map<string, number[]>();
  saes.forEach((sae, i) => {
    if (screened[i]) byHook.set(sae.hookName, [...(byHook.get(sae.hookName) ?? []), i]);
  });
  const placed = new Map<number, { products: string; width: number; column: number }>();
  const zeroPoint = byHook.size ? g.constant(new Uint8Array([ZERO_POINT]), []) : '';
  for (const [hook, members] of byHook) {
    const dIn = saes[members[0]!]!.dIn;
    const width = members.reduce((sum, i) => sum + saes[i]!.dSae, 0);
    const columns = new Int8Array(dIn * width);
    let column = 0;
    const name = `products.${hook}`;
    for (const i of members) {
      const { q, dSae } = screened[i]!;
      for (let r = 0; r < dIn; r++) columns.set(q.subarray(r * dSae, (r + 1) * dSae), r * width + column);
      placed.set(i, { products: name, width, column });
      column += dSae;
    }
    const x = g.input(`quant.${hook}`, 'uint8', [TOKENS, dIn]);
    quantInputs.set(hook, x);
    g.output(g.op('MatMulInteger', [x, g.weight(`int8_columns.${hook}`, columns, [dIn, width]), zeroPoint]), name, 'int32', [TOKENS, width]);
  }
  return placed;
}

function addEncoder(g: GraphBuilder, sae: Sae, x: string, prefix: string): EncoderOutput {
  const { dIn, dSae, weights: w } = sae;
  const weight = (name: string, data: Float32Array, dims: number[]) => g.weight(prefix + name, data, dims);
  const dense = (acts: string): EncoderOutput => {
    g.output(acts, `${prefix}${FEATURE_ACTS}`, 'float32', [TOKENS, dSae]);
    return { kind: 'dense', acts: `${prefix}${FEATURE_ACTS}` };
  };
  const sparse = (values: string, indices: string): EncoderOutput => {
    const k = sae.k!;
    const names = { values: `${prefix}values`, indices: `${prefix}indices` };
    g.output(values, names.values, 'float32', [TOKENS, k]);
    g.output(g.op('Cast', [indices], { to: attr.int(6 /* int32 */) }), names.indices, 'int32', [TOKENS, k]);
    return { kind: 'sparse', ...names, k };
  };
  const saeIn = sae.applyBDecToInput ? g.op('Sub', [x, weight('b_dec', w.b_dec, [dIn])]) : x;
  let zeroName: string | undefined;
  const zero = () => (zeroName ??= g.constant(new Float32Array([0]), []));

  if (sae.architecture === 'matching_pursuit') {
    const [values, indices] = matchingPursuit(g, sae, saeIn, weight);
    return sparse(values, indices);
  }
  if (sae.architecture === 'gated') {
    const h = g.op('MatMul', [saeIn, weight('W_enc', w.W_enc, [dIn, dSae])]);
    const gate = g.op('Greater', [g.op('Add', [h, weight('b_gate', w.b_gate!, [dSae])]), zero()]);
    // SAELens scales W_enc's columns by exp(r_mag); scaling h's columns is the same product.
    const expRMag = Float32Array.from(w.r_mag!, Math.exp);
    const magnitude = g.op('Relu', [g.op('Add', [g.op('Mul', [h, weight('exp_r_mag', expRMag, [dSae])]), weight('b_mag', w.b_mag!, [dSae])])]);
    return dense(g.op('Where', [gate, magnitude, zero()]));
  }
  const pre = g.op('Add', [g.op('MatMul', [saeIn, weight('W_enc', w.W_enc, [dIn, dSae])]), weight('b_enc', w.b_enc, [dSae])]);
  switch (sae.architecture) {
    case 'standard':
      return dense(g.op('Relu', [pre]));
    case 'topk': {
      const [values, indices] = topK(g, pre, sae.k!);
      return sparse(g.op('Relu', [values]), indices);
    }
    case 'abstopk': {
      const [, indices] = topK(g, g.op('Abs', [pre]), sae.k!);
      return sparse(g.op('GatherElements', [pre, indices], { axis: attr.int(1) }), indices);
    }
    case 'jumprelu':
    case 'batchtopk': {
      // relu(pre)·(pre > θ), as SAELens and Gemma Scope compute it (the relu matters only for θ < 0).
      const threshold = weight('threshold', w.threshold!, [w.threshold!.length]);
      return dense(g.op('Where', [g.op('Greater', [pre, threshold]), g.op('Relu', [pre]), zero()]));
    }
  }
}

/** The k largest along the last axis, in no particular order (sorting them would cost time for nothing). */
function topK(g: GraphBuilder, values: string, k: number): [string, string] {
  const [top, indices] = g.ops('TopK', [values, g.constant(int64(k))], { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(0) }, 2);
  return [top, indices];
}

/**
 * k greedy steps, unrolled. Scores are updated from the Gram matrix G = W_dec·W_decᵀ rather than by
 * re-projecting the residual: with r ← r − s·W_dec[j], ⟨r, W_dec⟩ ← scores − s·G[j]. Each step picks
 * j = argmax of the raw scores (first index on ties) and records (j, s), exactly as the PyTorch
 * reference (models/train/sae.py, mp_encode) does; z_j is the sum of the s recorded for j.
 */
function matchingPursuit(
  g: GraphBuilder,
  sae: Sae,
  residual: string,
  weight: (name: string, data: Float32Array, dims: number[]) => string,
): [values: string, indices: string] {
  const { dIn, dSae, weights: w } = sae;
  const wDec = weight('W_dec', w.W_dec, [dSae, dIn]);
  const wDecT = weight('W_dec_T', transpose(w.W_dec, dSae, dIn), [dIn, dSae]);
  // Inputs are all initializers, so ORT folds G once when the session is created.
  const gram = g.op('MatMul', [wDec, wDecT]);
  let scores = g.op('MatMul', [residual, wDecT]);
  const picked: string[] = [];
  const amounts: string[] = [];
  const squeezeAxes = g.constant(int64(1));
  for (let step = 0; step < sae.k!; step++) {
    // TopK with k = 1 finds the maximum and its index in one pass (ties: the lower index, as argmax).
    const [s, j] = topK(g, scores, 1);
    picked.push(j);
    amounts.push(s);
    if (step < sae.k! - 1) {
      const gramRows = g.op('Gather', [gram, g.op('Squeeze', [j, squeezeAxes])], { axis: attr.int(0) });
      scores = g.op('Sub', [scores, g.op('Mul', [s, gramRows])]);
    }
  }
  const concat = (parts: string[]) => (parts.length === 1 ? parts[0]! : g.op('Concat', parts, { axis: attr.int(1) }));
  return [concat(amounts), concat(picked)];
}

export function buildDecoderModel(sae: Sae): Uint8Array {
  const g = new GraphBuilder(`${sae.id}_decoder`);
  const { dIn, dSae, weights: w } = sae;
  const z = g.input(FEATURE_ACTS, 'float32', [TOKENS, dSae]);
  let out = g.op('Add', [g.op('MatMul', [z, g.weight('W_dec', w.W_dec, [dSae, dIn])]), g.weight('b_dec', w.b_dec, [dIn])]);
  if (w.W_skip) {
    // sparsify's skip connection adds x·W_skipᵀ.
    const x = g.input(ACTS, 'float32', [TOKENS, dIn]);
    out = g.op('Add', [out, g.op('MatMul', [x, g.weight('W_skip_T', transpose(w.W_skip, dIn, dIn), [dIn, dIn])])]);
  }
  g.output(out, RECONSTRUCTION, 'float32', [TOKENS, dIn]);
  return g.toModel({ docString: `${sae.architecture} SAE decoder for ${sae.hookName}` });
}
