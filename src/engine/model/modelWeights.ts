/**
 * The few weights the analyses need outside the ONNX graph (logit lens, feature → logit effects,
 * head attribution), from model_weights.safetensors: W_U, the final LayerNorm and each block's W_O.
 * Stored fp16, returned fp32, shapes checked against the manifest.
 */
import type { ManifestModel } from '../bundle/manifest';
import { readSafetensors, type SafetensorsTensor } from '../sae/safetensors';
import { EngineError } from '../types';

export interface ModelWeights {
  W_U: Float32Array /* [d_model, d_vocab] */;
  lnFinalW: Float32Array /* [d_model] */;
  lnFinalB: Float32Array /* [d_model] */;
  /** per layer: [n_heads, d_head, d_model] */
  W_O: Float32Array[];
  /** per layer: [d_model], where the file has it */
  b_O: (Float32Array | null)[];
}

export async function parseModelWeights(bytes: Uint8Array, config: ManifestModel, file = config.weights): Promise<ModelWeights> {
  const tensors = await readSafetensors(bytes, { name: file });
  const { d_model, d_vocab, n_heads, d_head, n_layers } = config;
  const get = (name: string, shape: number[]): Float32Array => {
    const t = tensors.get(name);
    if (!t) throw new EngineError(`${file} has no tensor "${name}"; the bundle's weights file is incomplete.`, file);
    return floats(t, name, shape, file);
  };
  const optional = (name: string, shape: number[]) => (tensors.has(name) ? get(name, shape) : null);
  const layers = Array.from({ length: n_layers }, (_, l) => l);
  return {
    W_U: get('W_U', [d_model, d_vocab]),
    lnFinalW: get('ln_final.w', [d_model]),
    lnFinalB: get('ln_final.b', [d_model]),
    W_O: layers.map((l) => get(`blocks.${l}.attn.W_O`, [n_heads, d_head, d_model])),
    b_O: layers.map((l) => optional(`blocks.${l}.attn.b_O`, [d_model])),
  };
}

function floats(t: SafetensorsTensor, name: string, shape: number[], file: string): Float32Array {
  if (!(t.data instanceof Float32Array)) {
    throw new EngineError(`${file}: tensor "${name}" is ${t.dtype}, but float weights were expected.`, file);
  }
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new EngineError(
      `${file}: tensor "${name}" has shape [${t.shape.join(', ')}], but manifest.json implies [${shape.join(', ')}].`,
      file,
    );
  }
  return t.data;
}
