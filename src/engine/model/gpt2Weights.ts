/**
 * A GPT-2 model.safetensors (Hugging Face's layout) read into fp32 arrays, every tensor's name and
 * shape checked against config.json. Conv1D weights are stored [in, out] (y = x W + b), so they are
 * kept as they are and the graph multiplies by them directly; c_attn fuses W_Q, W_K, W_V as column
 * blocks. Names may carry the "transformer." prefix (GPT2LMHeadModel) or not (GPT2Model, as
 * openai-community/gpt2 stores them); the causal-mask buffers some files keep are ignored.
 */
import { SafetensorsFile } from '../sae/safetensors';
import { EngineError } from '../types';
import type { Gpt2Config } from './gpt2Config';

export interface Gpt2Layer {
  /** LayerNorm before attention; null once folded into the weights after it (weightProcessing.ts) */
  ln1W: Float32Array | null;
  ln1B: Float32Array | null;
  wQkv: Float32Array /* [d_model, 3·d_model], columns Q | K | V, head-major within each */;
  bQkv: Float32Array /* [3·d_model] */;
  wO: Float32Array /* [n_heads·d_head, d_model] */;
  bO: Float32Array /* [d_model] */;
  ln2W: Float32Array | null;
  ln2B: Float32Array | null;
  wIn: Float32Array /* [d_model, d_mlp] */;
  bIn: Float32Array /* [d_mlp] */;
  wOut: Float32Array /* [d_mlp, d_model] */;
  bOut: Float32Array /* [d_model] */;
}

export interface Gpt2Weights {
  wte: Float32Array /* [d_vocab, d_model] */;
  wpe: Float32Array /* [n_ctx, d_model] */;
  layers: Gpt2Layer[];
  lnfW: Float32Array | null;
  lnfB: Float32Array | null;
  /** [d_model, d_vocab]; null while it is still tied to wte (the graph then multiplies by wteᵀ) */
  wU: Float32Array | null;
  /** [d_vocab]; null for none (GPT-2 has no unembedding bias; folding a LayerNorm gives one) */
  bU: Float32Array | null;
}

const IGNORED = /^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$|^lm_head\.weight$/;

/** The tensors of a GPT-2 model.safetensors, checked against `config`. */
export async function readGpt2Weights(bytes: Uint8Array, config: Gpt2Config, source = 'model.safetensors'): Promise<Gpt2Weights> {
  const file = await SafetensorsFile.open(bytes, { name: source });
  const prefix = file.has('transformer.wte.weight') ? 'transformer.' : '';
  const { dModel: d, dMlp, dVocab, nCtx, nLayers } = config;
  const expected = new Map<string, number[]>([
    ['wte.weight', [dVocab, d]],
    ['wpe.weight', [nCtx, d]],
    ['ln_f.weight', [d]],
    ['ln_f.bias', [d]],
  ]);
  for (let l = 0; l < nLayers; l++) {
    const h = `h.${l}.`;
    for (const [name, shape] of [
      ['ln_1.weight', [d]], ['ln_1.bias', [d]],
      ['attn.c_attn.weight', [d, 3 * d]], ['attn.c_attn.bias', [3 * d]],
      ['attn.c_proj.weight', [d, d]], ['attn.c_proj.bias', [d]],
      ['ln_2.weight', [d]], ['ln_2.bias', [d]],
      ['mlp.c_fc.weight', [d, dMlp]], ['mlp.c_fc.bias', [dMlp]],
      ['mlp.c_proj.weight', [dMlp, d]], ['mlp.c_proj.bias', [d]],
    ] as const) expected.set(h + name, [...shape]);
  }
  const missing = [...expected.keys()].filter((n) => !file.has(prefix + n));
  if (missing.length) {
    const shown = missing.slice(0, 5).map((n) => `"${prefix}${n}"`).join(', ');
    throw new EngineError(
      `${source} lacks ${missing.length} of the ${expected.size} tensors a ${nLayers}-layer GPT-2 needs (${shown}${missing.length > 5 ? ', …' : ''}). ` +
        'Is it the weights file of the model config.json describes?',
      source,
    );
  }
  const unexpected = file.names.filter((n) => !expected.has(n.slice(prefix.length)) && !IGNORED.test(n));
  if (unexpected.length) {
    throw new EngineError(
      `${source} holds tensors a ${nLayers}-layer GPT-2 does not have (${unexpected.slice(0, 5).map((n) => `"${n}"`).join(', ')}): ` +
        'config.json and the weights disagree (more layers than n_layer?).',
      source,
    );
  }
  const tensors = await file.readAll();
  const get = (name: string): Float32Array => {
    const t = tensors.get(prefix + name)!;
    const shape = expected.get(name)!;
    if (!(t.data instanceof Float32Array)) throw new EngineError(`${source}: tensor "${prefix}${name}" is ${t.dtype}, not a float tensor.`, source);
    if (t.shape.length !== shape.length || t.shape.some((n, i) => n !== shape[i])) {
      throw new EngineError(
        `${source}: tensor "${prefix}${name}" has shape [${t.shape.join(', ')}], but config.json implies [${shape.join(', ')}].`,
        source,
      );
    }
    tensors.delete(prefix + name);
    return t.data;
  };
  const layers = Array.from({ length: nLayers }, (_, l): Gpt2Layer => {
    const h = `h.${l}.`;
    return {
      ln1W: get(`${h}ln_1.weight`),
      ln1B: get(`${h}ln_1.bias`),
      wQkv: get(`${h}attn.c_attn.weight`),
      bQkv: get(`${h}attn.c_attn.bias`),
      wO: get(`${h}attn.c_proj.weight`),
      bO: get(`${h}attn.c_proj.bias`),
      ln2W: get(`${h}ln_2.weight`),
      ln2B: get(`${h}ln_2.bias`),
      wIn: get(`${h}mlp.c_fc.weight`),
      bIn: get(`${h}mlp.c_fc.bias`),
      wOut: get(`${h}mlp.c_proj.weight`),
      bOut: get(`${h}mlp.c_proj.bias`),
    };
  });
  return {
    wte: get('wte.weight'),
    wpe: get('wpe.weight'),
    layers,
    lnfW: get('ln_f.weight'),
    lnfB: get('ln_f.bias'),
    wU: null,
    bU: null,
  };
}
