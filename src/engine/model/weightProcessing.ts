/**
 * TransformerLens's weight processing, as `HookedTransformer.from_pretrained` applies it by default
 * and SAELens SAEs were trained on: the hook activations an SAE reads depend on it. Each switch, and
 * what it changes of what the graph outputs (docs/GPT2.md says more):
 *
 * - fold_ln: each LayerNorm's weight and bias are folded into the weights that read its output
 *   (W_Q/W_K/W_V, W_in, W_U), whose input dimension is then centred; the LayerNorms only normalise.
 *   No hook changes (up to rounding); the unembedding gains a bias.
 * - center_writing_weights: what writes into the residual stream (W_E, W_pos, W_O, b_O, W_out,
 *   b_out) is centred over d_model, so hook_resid_* and hook_mlp_out have zero mean per token.
 *   Nothing downstream changes: every reader starts with a LayerNorm, which subtracts the mean anyway.
 * - center_unembed: W_U (and b_U) centred over the vocabulary: the logits lose their mean per token;
 *   probabilities are unchanged.
 * - fold_value_biases: b_V moved into b_O (Σ_h b_V[h]·W_O[h], exact because attention patterns sum
 *   to 1): hook_v and hook_z lose b_V; the attention output is unchanged.
 *
 * Defaults are TransformerLens's (all four on); an SAE's cfg.json overrides them in
 * `model_from_pretrained_kwargs`, as SAELens passes them to from_pretrained.
 */
import { transpose } from '../sae/matrix';
import type { Gpt2Config } from './gpt2Config';
import type { Gpt2Weights } from './gpt2Weights';

export interface ModelProcessing {
  fold_ln: boolean;
  center_writing_weights: boolean;
  center_unembed: boolean;
  fold_value_biases: boolean;
}

export const PROCESSING_KEYS = ['fold_ln', 'center_writing_weights', 'center_unembed', 'fold_value_biases'] as const;

export const TL_DEFAULT_PROCESSING: Readonly<ModelProcessing> = { fold_ln: true, center_writing_weights: true, center_unembed: true, fold_value_biases: true };
export const NO_PROCESSING: Readonly<ModelProcessing> = { fold_ln: false, center_writing_weights: false, center_unembed: false, fold_value_biases: false };

/** TransformerLens's defaults overridden by the settings `kwargs` gives (other keys are ignored). */
export function processingFromKwargs(kwargs: unknown): ModelProcessing {
  const p = { ...TL_DEFAULT_PROCESSING };
  if (typeof kwargs === 'object' && kwargs !== null) {
    for (const key of PROCESSING_KEYS) {
      const v = (kwargs as Record<string, unknown>)[key];
      if (typeof v === 'boolean') p[key] = v;
    }
  }
  return p;
}

/** The settings that change what `hookName` holds (fold_ln and center_unembed change no hook). */
export function settingsAffecting(hookName: string): (keyof ModelProcessing)[] {
  if (/\.attn\.hook_(z|v)$/.test(hookName)) return ['fold_value_biases'];
  if (/\.hook_(resid_(pre|mid|post)|mlp_out|attn_out)$/.test(hookName)) return ['center_writing_weights'];
  return [];
}

/** The settings on: "fold_ln,center_unembed", or "none" (the form `?processing=` takes). */
export function processingParam(p: ModelProcessing): string {
  const on = PROCESSING_KEYS.filter((k) => p[k]);
  return on.length ? on.join(',') : 'none';
}

/** Reads `processingParam`'s form back; null for an unknown name. */
export function parseProcessingParam(text: string): ModelProcessing | null {
  const p = { ...NO_PROCESSING };
  if (text.trim() === 'none') return p;
  for (const raw of text.split(',')) {
    const key = raw.trim() as keyof ModelProcessing;
    if (!PROCESSING_KEYS.includes(key)) return null;
    p[key] = true;
  }
  return p;
}

/** Applies `p` to `w` in place (it owns its arrays) and returns it. */
export function processWeights(w: Gpt2Weights, c: Gpt2Config, p: ModelProcessing): Gpt2Weights {
  const { dModel: d, dVocab: V } = c;
  // TransformerLens's W_U is its own copy of the tied embedding, processed apart from W_E.
  if ((p.fold_ln || p.center_unembed || p.center_writing_weights) && !w.wU) w.wU = transpose(w.wte, V, d);
  if (p.fold_ln) {
    for (const L of w.layers) {
      foldLayerNorm(L.wQkv, L.bQkv, L.ln1W!, L.ln1B!, d, 3 * d);
      foldLayerNorm(L.wIn, L.bIn, L.ln2W!, L.ln2B!, d, c.dMlp);
      L.ln1W = L.ln1B = L.ln2W = L.ln2B = null;
    }
    w.bU ??= new Float32Array(V);
    foldLayerNorm(w.wU!, w.bU, w.lnfW!, w.lnfB!, d, V);
    w.lnfW = w.lnfB = null;
  }
  if (p.center_writing_weights) {
    centerRows(w.wte, d);
    centerRows(w.wpe, d);
    for (const L of w.layers) {
      centerRows(L.wO, d);
      centerRows(L.bO, d);
      centerRows(L.wOut, d);
      centerRows(L.bOut, d);
    }
  }
  if (p.center_unembed) {
    centerRows(w.wU!, V);
    if (w.bU) centerRows(w.bU, V);
  }
  if (p.fold_value_biases) {
    for (const L of w.layers) {
      for (let r = 0; r < d; r++) {
        const bv = L.bQkv[2 * d + r];
        for (let k = 0; k < d; k++) L.bO[k] += bv * L.wO[r * d + k];
        L.bQkv[2 * d + r] = 0;
      }
    }
  }
  return w;
}

/**
 * Folds LayerNorm (weight g, bias b) into the [dIn, dOut] matrix W and bias β that read its output:
 * β += bᵀW, W ← diag(g)·W, then W's columns centred over dIn (the normalised input has zero mean).
 */
function foldLayerNorm(W: Float32Array, beta: Float32Array, g: Float32Array, b: Float32Array, dIn: number, dOut: number): void {
  const mean = new Float64Array(dOut);
  for (let i = 0; i < dIn; i++) {
    const row = i * dOut;
    const gi = g[i];
    const bi = b[i];
    for (let j = 0; j < dOut; j++) {
      const wij = W[row + j];
      beta[j] += bi * wij;
      const scaled = wij * gi;
      W[row + j] = scaled;
      mean[j] += scaled;
    }
  }
  for (let j = 0; j < dOut; j++) mean[j] /= dIn;
  for (let i = 0; i < dIn; i++) for (let j = 0; j < dOut; j++) W[i * dOut + j] -= mean[j];
}

/** Subtracts from each row of `m` (rows of `width`) its mean. */
function centerRows(m: Float32Array, width: number): void {
  for (let start = 0; start < m.length; start += width) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += m[start + j];
    const mean = sum / width;
    for (let j = 0; j < width; j++) m[start + j] -= mean;
  }
}

/**
 * The processing an SAE was trained on, from its format and cfg.json: a SAELens SAE's is
 * TransformerLens's defaults overridden by `model_from_pretrained_kwargs`; sparsify and Gemma Scope
 * SAEs were trained on the model as Hugging Face runs it, unprocessed.
 */
export function saeTrainingProcessing(format: 'saelens' | 'sparsify' | 'gemmascope', cfg: Record<string, unknown> | null): ModelProcessing {
  return format === 'saelens' ? processingFromKwargs(cfg?.model_from_pretrained_kwargs) : { ...NO_PROCESSING };
}

/**
 * Why an SAE trained on `trained` cannot read `hookName` of a model processed with `model`, or null
 * when every setting that changes that hook agrees.
 */
export function processingMismatch(model: ModelProcessing, trained: ModelProcessing, hookName: string): string | null {
  const differ = settingsAffecting(hookName).filter((k) => model[k] !== trained[k]);
  if (!differ.length) return null;
  const said = differ.map((k) => `${k}=${trained[k]}`).join(', ');
  return (
    `it was trained on the model with ${said}, which changes what ${hookName} holds, but the model was opened with ` +
    `processing=${processingParam(model)}. Open the model with processing=${processingParam(trained)} in its address to use this SAE.`
  );
}
