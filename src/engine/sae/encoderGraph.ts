/**
 * ONNX graphs for an SAE's encoder and decoder, one per architecture (docs/ARCHITECTURE.md's
 * table), with the weights as initializers so that they are uploaded once and stay on the device.
 *
 * Encoder: input `acts` [n_tokens, d_in] → output `feature_acts` [n_tokens, d_sae] (dense).
 * Decoder: input `feature_acts` (and `acts` when the SAE has a skip connection) → `reconstruction`.
 */
import { attr, GraphBuilder } from '../onnx/graphBuilder';
import type { Sae } from '../types';
import { transpose } from './matrix';

export const ACTS = 'acts';
export const FEATURE_ACTS = 'feature_acts';
export const RECONSTRUCTION = 'reconstruction';
const TOKENS = 'n_tokens';

const int64 = (...values: number[]) => new BigInt64Array(values.map(BigInt));

export function buildEncoderModel(sae: Sae): Uint8Array {
  const g = new GraphBuilder(`${sae.id}_encoder`);
  const { dIn, dSae, weights: w } = sae;
  const x = g.input(ACTS, 'float32', [TOKENS, dIn]);
  const saeIn = sae.applyBDecToInput ? g.op('Sub', [x, g.weight('b_dec', w.b_dec, [dIn])]) : x;
  let zeroName: string | undefined;
  const zero = () => (zeroName ??= g.constant(new Float32Array([0]), []));

  let out: string;
  if (sae.architecture === 'matching_pursuit') {
    out = matchingPursuit(g, sae, saeIn);
  } else if (sae.architecture === 'gated') {
    const h = g.op('MatMul', [saeIn, g.weight('W_enc', w.W_enc, [dIn, dSae])]);
    const gate = g.op('Greater', [g.op('Add', [h, g.weight('b_gate', w.b_gate!, [dSae])]), zero()]);
    // SAELens scales W_enc's columns by exp(r_mag); scaling h's columns is the same product.
    const expRMag = Float32Array.from(w.r_mag!, Math.exp);
    const magnitude = g.op('Relu', [g.op('Add', [g.op('Mul', [h, g.weight('exp_r_mag', expRMag, [dSae])]), g.weight('b_mag', w.b_mag!, [dSae])])]);
    out = g.op('Where', [gate, magnitude, zero()]);
  } else {
    const pre = g.op('Add', [g.op('MatMul', [saeIn, g.weight('W_enc', w.W_enc, [dIn, dSae])]), g.weight('b_enc', w.b_enc, [dSae])]);
    switch (sae.architecture) {
      case 'standard':
        out = g.op('Relu', [pre]);
        break;
      case 'topk': {
        const [values, indices] = topK(g, pre, sae.k!);
        out = scatterIntoZeros(g, pre, indices, g.op('Relu', [values]));
        break;
      }
      case 'abstopk': {
        const [, indices] = topK(g, g.op('Abs', [pre]), sae.k!);
        out = scatterIntoZeros(g, pre, indices, g.op('GatherElements', [pre, indices], { axis: attr.int(1) }));
        break;
      }
      case 'jumprelu':
      case 'batchtopk': {
        // relu(pre)·(pre > θ), as SAELens and Gemma Scope compute it (the relu matters only for θ < 0).
        const threshold = g.weight('threshold', w.threshold!, [w.threshold!.length]);
        out = g.op('Where', [g.op('Greater', [pre, threshold]), g.op('Relu', [pre]), zero()]);
        break;
      }
    }
  }
  g.output(out, FEATURE_ACTS, 'float32', [TOKENS, dSae]);
  return g.toModel({ docString: `${sae.architecture} SAE encoder for ${sae.hookName}` });
}

function topK(g: GraphBuilder, values: string, k: number): [string, string] {
  const [top, indices] = g.ops('TopK', [values, g.constant(int64(k))], { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) }, 2);
  return [top, indices];
}

function zerosLike(g: GraphBuilder, like: string): string {
  return g.op('ConstantOfShape', [g.op('Shape', [like])], {
    value: attr.tensor({ name: 'zero', type: 'float32', dims: [1], raw: new Uint8Array(4) }),
  });
}

function scatterIntoZeros(g: GraphBuilder, like: string, indices: string, values: string): string {
  return g.op('ScatterElements', [zerosLike(g, like), indices, values], { axis: attr.int(1) });
}

/**
 * k greedy steps, unrolled. Scores are updated from the Gram matrix G = W_dec·W_decᵀ rather than by
 * re-projecting the residual: with r ← r − s·W_dec[j], ⟨r, W_dec⟩ ← scores − s·G[j]. Each step picks
 * j = argmax of the raw scores (first index on ties) and adds its score to z_j, exactly as the
 * PyTorch reference (models/train/sae.py, mp_encode) does.
 */
function matchingPursuit(g: GraphBuilder, sae: Sae, residual: string): string {
  const { dIn, dSae, weights: w } = sae;
  const wDec = g.weight('W_dec', w.W_dec, [dSae, dIn]);
  const wDecT = g.weight('W_dec_T', transpose(w.W_dec, dSae, dIn), [dIn, dSae]);
  // Inputs are all initializers, so ORT folds G once when the session is created.
  const gram = g.op('MatMul', [wDec, wDecT]);
  let scores = g.op('MatMul', [residual, wDecT]);
  let z = zerosLike(g, scores);
  const axis1 = { axis: attr.int(1) };
  const squeezeAxes = g.constant(int64(1));
  for (let step = 0; step < sae.k!; step++) {
    const j = g.op('ArgMax', [scores], { axis: attr.int(1), keepdims: attr.int(1), select_last_index: attr.int(0) });
    const s = g.op('GatherElements', [scores, j], axis1);
    // z_j += s without ScatterElements' reduction attribute, which not every execution provider has.
    z = g.op('ScatterElements', [z, j, g.op('Add', [g.op('GatherElements', [z, j], axis1), s])], axis1);
    if (step < sae.k! - 1) {
      const gramRows = g.op('Gather', [gram, g.op('Squeeze', [j, squeezeAxes])], { axis: attr.int(0) });
      scores = g.op('Sub', [scores, g.op('Mul', [s, gramRows])]);
    }
  }
  return z;
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
