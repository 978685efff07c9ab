/**
 * The hooked ONNX graph of a GPT-2, built in the browser from its weights (gpt2Weights.ts, processed
 * or not by weightProcessing.ts), with the very I/O of the bundled model.onnx (docs/ARCHITECTURE.md,
 * "ONNX model I/O"): `input_ids` [batch, seq] and one `delta.<hook>` [batch, seq, d_model] per
 * steering point in; `logits` and every TransformerLens hook out. So HookedModel, the SAEs, splicing
 * and steering run on it unchanged. `gpt2Graph.bundle.test.ts` checks it against model.onnx.
 */
import type { ManifestModel } from '../bundle/manifest';
import { attr, GraphBuilder } from '../onnx/graphBuilder';
import type { Activation, Gpt2Config } from './gpt2Config';
import type { Gpt2Weights } from './gpt2Weights';

/**
 * Initializers are named as model.onnx names models/train/model.py's weights (`model.blocks.0.ln1.weight`,
 * …), so the cached decoder (cachedModel.ts) builds from either; Conv1D weights, stored [in, out]
 * where model.onnx's are [out, in], end in CONV1D_WEIGHT instead of "weight", and an unembedding
 * that is no longer the tied embedding (after processing) is UNEMBED [d_model, d_vocab] (+ UNEMBED_BIAS).
 */
export const CONV1D_WEIGHT = 'weight_in_out';
export const UNEMBED = 'W_U';
export const UNEMBED_BIAS = 'b_U';

/** y = activation(x), as ONNX operators (opset 17 has no Gelu). */
export function activationOp(g: GraphBuilder, activation: Activation): (x: string) => string {
  const f32 = (v: number) => g.constant(Float32Array.of(v), []);
  if (activation === 'relu') return (x) => g.op('Relu', [x]);
  const half = f32(0.5);
  const one = f32(1);
  if (activation === 'gelu_exact') {
    const sqrt2 = f32(Math.SQRT2);
    return (x) => g.op('Mul', [g.op('Mul', [x, g.op('Add', [g.op('Erf', [g.op('Div', [x, sqrt2])]), one])]), half]);
  }
  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  const k = f32(0.044715);
  const s = f32(Math.sqrt(2 / Math.PI));
  return (x) => {
    const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
    const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, k])]), s]);
    return g.op('Mul', [g.op('Mul', [x, g.op('Add', [g.op('Tanh', [inner]), one])]), half]);
  };
}

/** Every hook the graph outputs, in the order model.onnx lists them. */
export function gpt2Hooks(nLayers: number): string[] {
  return Array.from({ length: nLayers }, (_, l) =>
    ['hook_resid_pre', 'hook_resid_post', 'attn.hook_z', 'attn.hook_v', 'attn.hook_pattern', 'hook_mlp_out'].map((h) => `blocks.${l}.${h}`),
  ).flat();
}

/** The hooks that take an additive delta, in forward order (as models/train/model.py's steer_hooks). */
export function gpt2SteerInputs(nLayers: number): string[] {
  const points = Array.from({ length: nLayers }, (_, l) => [`blocks.${l}.hook_resid_pre`, `blocks.${l}.attn.hook_z`, `blocks.${l}.hook_mlp_out`]).flat();
  return [...points, `blocks.${nLayers - 1}.hook_resid_post`];
}

/** The manifest's model section for a graph built here from `config` (file names are the bundle's). */
export function gpt2ManifestModel(c: Gpt2Config, files: { onnx: string; weights: string }): ManifestModel {
  return {
    ...files,
    n_layers: c.nLayers,
    d_model: c.dModel,
    n_heads: c.nHeads,
    d_head: c.dHead,
    n_ctx: c.nCtx,
    d_vocab: c.dVocab,
    bos_token_id: c.bosTokenId,
    hooks: gpt2Hooks(c.nLayers),
    steer_inputs: gpt2SteerInputs(c.nLayers),
    activation: c.activation,
    layer_norm_epsilon: c.lnEpsilon,
    attn_score_divisors: Array.from({ length: c.nLayers }, (_, l) => attnScoreDivisor(c, l)),
  };
}

/** The model's bytes for `createSession`; weights are copied into the graph as fp32 initializers. */
export function buildGpt2Graph(w: Gpt2Weights, c: Gpt2Config): Uint8Array {
  const { nLayers, nHeads, dHead, dModel: d, dMlp, dVocab, nCtx } = c;
  const g = new GraphBuilder('gpt2_hooked');
  const i64 = (...v: number[]) => g.constant(BigInt64Array.from(v.map(BigInt)));
  const f32 = (v: number) => g.constant(Float32Array.of(v), []);
  // A folded LayerNorm only normalises: scale 1, bias 0 (made once, where needed).
  let identity: [string, string] | null = null;
  const identityLn = () => (identity ??= [g.constant(new Float32Array(d).fill(1)), g.constant(new Float32Array(d))]);

  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const deltas = new Map(gpt2SteerInputs(nLayers).map((p) => [p, g.input(`delta.${p}`, 'float32', ['batch', 'seq', d])]));
  const withDelta = (x: string, point: string) => (deltas.has(point) ? g.op('Add', [x, deltas.get(point)!]) : x);
  const hook = (x: string, name: string, shape: (string | number)[]) => {
    g.output(x, name, 'float32', shape);
    return x;
  };
  const bsd = ['batch', 'seq', d];
  const heads4 = ['batch', 'seq', nHeads, dHead];

  // The sequence length, as a 1-D tensor, cuts the positions and the causal mask to size.
  const idsShape = g.op('Shape', [ids]);
  const seq = g.op('Gather', [idsShape, i64(1)], { axis: attr.int(0) });
  const positions = g.op('Slice', [g.weight('model.pos', w.wpe, [nCtx, d]), i64(0), seq, i64(0)]);
  const mask = new Float32Array(nCtx * nCtx);
  for (let r = 0; r < nCtx; r++) mask.fill(-Infinity, r * nCtx + r + 1, (r + 1) * nCtx);
  const causal = g.op('Slice', [g.weight('causal_mask', mask, [nCtx, nCtx]), i64(0, 0), g.op('Concat', [seq, seq], { axis: attr.int(0) }), i64(0, 1)]);

  const wte = g.weight('model.embed.weight', w.wte, [dVocab, d]);
  const layerNorm = (x: string, weight: Float32Array | null, bias: Float32Array | null, name: string) =>
    g.op('LayerNormalization', [x, weight ? g.weight(`model.${name}.weight`, weight, [d]) : identityLn()[0], bias ? g.weight(`model.${name}.bias`, bias, [d]) : identityLn()[1]], {
      axis: attr.int(-1),
      epsilon: attr.float(c.lnEpsilon),
    });
  const affine = (x: string, name: string, W: Float32Array, b: Float32Array, dIn: number, dOut: number) =>
    g.op('Add', [g.op('MatMul', [x, g.weight(`model.${name}.${CONV1D_WEIGHT}`, W, [dIn, dOut])]), g.weight(`model.${name}.bias`, b, [dOut])]);
  const toHeads = i64(0, 0, nHeads, dHead);
  const flat = i64(0, 0, d);
  const activation = activationOp(g, c.activation);

  let x = g.op('Add', [g.op('Gather', [wte, ids]), positions]);
  w.layers.forEach((L, l) => {
    const b = `blocks.${l}`;
    x = hook(withDelta(x, `${b}.hook_resid_pre`), `${b}.hook_resid_pre`, bsd);
    const qkv = affine(layerNorm(x, L.ln1W, L.ln1B, `${b}.ln1`), `${b}.attn.qkv`, L.wQkv, L.bQkv, d, 3 * d);
    const [q, k, v] = g.ops('Split', [qkv, i64(d, d, d)], { axis: attr.int(2) }, 3) as [string, string, string];
    const v4 = hook(g.op('Reshape', [v, toHeads]), `${b}.attn.hook_v`, heads4);
    const qh = g.op('Transpose', [g.op('Reshape', [q, toHeads])], { perm: attr.ints([0, 2, 1, 3]) });
    const kt = g.op('Transpose', [g.op('Reshape', [k, toHeads])], { perm: attr.ints([0, 2, 3, 1]) });
    const vh = g.op('Transpose', [v4], { perm: attr.ints([0, 2, 1, 3]) });
    let scores = g.op('MatMul', [qh, kt]);
    const scale = attnScoreDivisor(c, l);
    if (scale !== 1) scores = g.op('Div', [scores, f32(scale)]);
    const pattern = hook(g.op('Softmax', [g.op('Add', [scores, causal])], { axis: attr.int(-1) }), `${b}.attn.hook_pattern`, ['batch', nHeads, 'seq', 'seq_src']);
    let z = g.op('Transpose', [g.op('MatMul', [pattern, vh])], { perm: attr.ints([0, 2, 1, 3]) });
    // The hook_z delta comes flat [batch, seq, n_heads·d_head], like every other delta input.
    z = hook(g.op('Add', [z, g.op('Reshape', [deltas.get(`${b}.attn.hook_z`)!, toHeads])]), `${b}.attn.hook_z`, heads4);
    x = g.op('Add', [x, affine(g.op('Reshape', [z, flat]), `${b}.attn.out`, L.wO, L.bO, d, d)]);
    const hidden = activation(affine(layerNorm(x, L.ln2W, L.ln2B, `${b}.ln2`), `${b}.mlp_in`, L.wIn, L.bIn, d, dMlp));
    const mlpOut = hook(withDelta(affine(hidden, `${b}.mlp_out`, L.wOut, L.bOut, dMlp, d), `${b}.hook_mlp_out`), `${b}.hook_mlp_out`, bsd);
    x = g.op('Add', [x, mlpOut]);
    if (l === nLayers - 1) x = withDelta(x, `${b}.hook_resid_post`);
    x = hook(x, `${b}.hook_resid_post`, bsd);
  });

  const normed = layerNorm(x, w.lnfW, w.lnfB, 'ln_f');
  let logits: string;
  if (w.wU) {
    logits = g.op('MatMul', [normed, g.weight(`model.${UNEMBED}`, w.wU, [d, dVocab])]);
  } else {
    // Tied: multiply by wteᵀ without a transposed copy (Gemm is 2-D, so flatten the tokens and back).
    const rows = g.op('Reshape', [normed, i64(-1, d)]);
    logits = g.op('Reshape', [g.op('Gemm', [rows, wte], { transB: attr.int(1) }), g.op('Concat', [idsShape, i64(dVocab)], { axis: attr.int(0) })]);
  }
  if (w.bU) logits = g.op('Add', [logits, g.weight(`model.${UNEMBED_BIAS}`, w.bU, [dVocab])]);
  g.output(logits, 'logits', 'float32', ['batch', 'seq', dVocab]);
  return g.toModel({ opset: 17, docString: 'GPT-2 with TransformerLens hooks, built by SAE Explorer from Hugging Face weights' });
}

/** What layer `l`'s attention scores are divided by: √d_head (GPT-2), times l + 1 where the config asks. */
function attnScoreDivisor(c: Gpt2Config, l: number): number {
  return (c.scaleAttnWeights ? Math.sqrt(c.dHead) : 1) * (c.scaleByInverseLayerIdx ? l + 1 : 1);
}
