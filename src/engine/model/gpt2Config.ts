/**
 * A Hugging Face config.json, read as the GPT-2 architecture the engine can build a hooked graph
 * for (gpt2Graph.ts), and the memory that graph will take, estimated before any weight is fetched.
 *
 * Supported: `model_type` "gpt2" (GPT-2 small/medium/large/xl, DistilGPT2 and any GPT2LMHeadModel),
 * with the activations Hugging Face's GPT-2 accepts that are GELU or ReLU. Anything else is refused
 * with a message naming what the file says and what is supported.
 */
import { EngineError } from '../types';

export const SUPPORTED_MODEL_TYPES = ['gpt2'] as const;

/** Hugging Face activation names → the function the graph builds. */
const ACTIVATIONS = {
  gelu: 'gelu_exact',
  gelu_new: 'gelu_tanh',
  gelu_pytorch_tanh: 'gelu_tanh',
  gelu_fast: 'gelu_tanh',
  relu: 'relu',
} as const;
export type Activation = (typeof ACTIVATIONS)[keyof typeof ACTIVATIONS];
/** The functions the graph builders know (what a manifest's model.activation may say). */
export const ACTIVATION_FUNCTIONS: readonly Activation[] = ['gelu_exact', 'gelu_tanh', 'relu'];

export interface Gpt2Config {
  nLayers: number;
  dModel: number;
  nHeads: number;
  dHead: number;
  /** the MLP's hidden width (n_inner, else 4·d_model) */
  dMlp: number;
  /** learned positions: the longest sequence */
  nCtx: number;
  dVocab: number;
  activation: Activation;
  lnEpsilon: number;
  /** divide attention scores by √d_head (GPT-2: yes) */
  scaleAttnWeights: boolean;
  /** and also by layer + 1 (Mistral's GPT-2 runs) */
  scaleByInverseLayerIdx: boolean;
  /** prepended to every sequence, as TransformerLens does for GPT-2 */
  bosTokenId: number;
  /** bytes per parameter of model.safetensors, as `torch_dtype` says (fp32 when it does not) */
  fileBytesPerParam: number;
}

type Json = Record<string, unknown>;

export function parseGpt2Config(json: unknown, source = 'config.json'): Gpt2Config {
  const fail = (what: string): never => {
    throw new EngineError(`${source}: ${what}`, source);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('must be a JSON object.');
  const c = json as Json;
  const type = c.model_type;
  if (type !== 'gpt2') {
    const arch = Array.isArray(c.architectures) ? ` (${c.architectures.join(', ')})` : '';
    fail(
      `describes a ${typeof type === 'string' ? `"${type}"` : 'model of unknown type'}${arch} model. ` +
        `This explorer builds GPT-2-architecture models only (model_type ${SUPPORTED_MODEL_TYPES.map((t) => `"${t}"`).join(', ')}: ` +
        'GPT-2 small, medium, large and xl, DistilGPT2, and models saved as GPT2LMHeadModel).',
    );
  }
  const int = (key: string, min = 1): number => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return fail(`"${key}" must be an integer ≥ ${min}, found ${JSON.stringify(v)}.`);
    return v;
  };
  const nLayers = int('n_layer');
  const dModel = int('n_embd');
  const nHeads = int('n_head');
  if (dModel % nHeads !== 0) fail(`n_embd ${dModel} is not a multiple of n_head ${nHeads}.`);
  const inner = c.n_inner;
  const dMlp = inner === null || inner === undefined ? 4 * dModel : int('n_inner');
  const actName = c.activation_function ?? 'gelu_new';
  const activation = typeof actName === 'string' ? ACTIVATIONS[actName as keyof typeof ACTIVATIONS] : undefined;
  if (!activation) fail(`activation_function ${JSON.stringify(actName)} is not supported; supported: ${Object.keys(ACTIVATIONS).join(', ')}.`);
  const eps = c.layer_norm_epsilon ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0)) fail(`layer_norm_epsilon must be a positive number, found ${JSON.stringify(eps)}.`);
  if (c.tie_word_embeddings === false) fail('unties the unembedding (tie_word_embeddings false); GPT-2 ties it to wte, and only that is supported.');
  const flag = (key: string, dflt: boolean): boolean => {
    const v = c[key] ?? dflt;
    if (typeof v !== 'boolean') return fail(`"${key}" must be true or false, found ${JSON.stringify(v)}.`);
    return v;
  };
  const dVocab = int('vocab_size');
  const bos = c.bos_token_id ?? dVocab - 1;
  if (typeof bos !== 'number' || !Number.isInteger(bos) || bos < 0 || bos >= dVocab) fail(`bos_token_id ${JSON.stringify(bos)} is outside the vocabulary.`);
  return {
    nLayers,
    dModel,
    nHeads,
    dHead: dModel / nHeads,
    dMlp,
    nCtx: int('n_positions'),
    dVocab,
    activation: activation as Activation,
    lnEpsilon: eps as number,
    scaleAttnWeights: flag('scale_attn_weights', true),
    scaleByInverseLayerIdx: flag('scale_attn_by_inverse_layer_idx', false),
    bosTokenId: bos as number,
    fileBytesPerParam: c.torch_dtype === 'float16' || c.torch_dtype === 'bfloat16' ? 2 : 4,
  };
}

/** Parameters of the model, embeddings included (the unembedding is tied). */
export function parameterCount(c: Gpt2Config): number {
  const d = c.dModel;
  const perLayer = 4 * d /* two LayerNorms */ + d * 3 * d + 3 * d + d * d + d + 2 * d * c.dMlp + c.dMlp + d;
  return c.dVocab * d + c.nCtx * d + c.nLayers * perLayer + 2 * d;
}

/**
 * What measuring showed beyond the copies counted below (allocator slack, onnxruntime's arena, the
 * runtime itself): bench/gpt2.ts peaked at 3.55 GiB of resident memory for GPT-2 small's shapes,
 * against 2.3 GiB counted.
 */
const MEASURED_OVERHEAD = 1.55;

/**
 * Bytes the engine holds at the peak of building the model: the downloaded file, the fp32 weights,
 * the graph's bytes and onnxruntime's own copy of them (with a separate unembedding once processed),
 * scaled to what was measured. An estimate; it decides whether to start at all.
 */
export function estimatedPeakBytes(c: Gpt2Config): number {
  const params = parameterCount(c);
  const unembed = c.dModel * c.dVocab;
  return MEASURED_OVERHEAD * (params * c.fileBytesPerParam + 4 * params + 2 * 4 * (params + unembed));
}
