/**
 * The bundled transformer again, as a decoding graph with a key/value cache, for generation: each
 * step runs only the new tokens, attending to the keys and values of the earlier ones, instead of
 * re-running the whole sequence. It is built from model.onnx's own weights (onnx/onnxInitializers)
 * for the architecture of models/train/model.py (pre-LN GPT-2: learned positions, exact GELU, tied
 * unembedding), or from a graph built from Hugging Face GPT-2 files (gpt2Graph.ts: Conv1D weights,
 * the activation, epsilon and score scaling its manifest names, LayerNorms maybe folded), and takes the same additive `delta.*` inputs at the same points (rows for the new
 * tokens only), so steering is the same intervention. `cachedModel.bundle.test.ts` checks its logits
 * against the exported graph's.
 *
 * The cache keeps one unused slot first, masked out, so that even the first step concatenates onto
 * a non-empty tensor.
 */
import type { ManifestModel } from '../bundle/manifest';
import { attr, GraphBuilder } from '../onnx/graphBuilder';
import { readInitializers, type Initializer } from '../onnx/onnxInitializers';
import { createSession, type Session } from '../runtime';
import { activationOp, CONV1D_WEIGHT, UNEMBED, UNEMBED_BIAS } from './gpt2Graph';
import { decodeF16, decodeF32 } from '../sae/floatDecode';
import { EngineError, type Tensor } from '../types';
import type { Deltas } from './hookedModel';

/** Keys and values of the tokens run so far, per layer [n_heads, 1 + length, d_head] (slot 0 unused). */
export interface KvCache {
  /** tokens cached */
  length: number;
  k: Float32Array[];
  v: Float32Array[];
}

const LN_EPSILON = 1e-5;

export class CachedModel {
  private constructor(
    readonly config: ManifestModel,
    private readonly session: Session,
  ) {}

  static async create(onnxBytes: Uint8Array, config: ManifestModel, file = config.onnx): Promise<CachedModel> {
    const weights = readInitializers(onnxBytes, file);
    return new CachedModel(config, await createSession(buildDecoder(weights, config, file)));
  }

  emptyCache(): KvCache {
    const { n_layers, n_heads, d_head } = this.config;
    const slot = () => Array.from({ length: n_layers }, () => new Float32Array(n_heads * d_head));
    return { length: 0, k: slot(), v: slot() };
  }

  /**
   * Runs `ids` as the tokens after those in `cache`, with `deltas` (steering input → [ids.length ·
   * d_model], rows for these tokens) added: their logits [ids.length, d_vocab] and the grown cache.
   */
  async step(ids: readonly number[], cache: KvCache, deltas: Deltas = {}): Promise<{ logits: Float32Array; cache: KvCache }> {
    const { n_layers, n_heads, d_head, d_model, n_ctx, steer_inputs } = this.config;
    const n = ids.length;
    const past = cache.length;
    if (n === 0) throw new EngineError('Nothing to run: no new token.');
    if (past + n > n_ctx) throw new EngineError(`The sequence would have ${past + n} tokens, more than the model's context of ${n_ctx}.`);
    const span = 1 + past + n;
    const mask = new Float32Array(n * span);
    for (let i = 0; i < n; i++) {
      mask[i * span] = -Infinity;
      for (let c = past + i + 2; c < span; c++) mask[i * span + c] = -Infinity;
    }
    const feeds: Record<string, Tensor> = {
      input_ids: { type: 'int64', data: BigInt64Array.from(ids, BigInt), dims: [n] },
      positions: { type: 'int64', data: BigInt64Array.from(ids, (_, i) => BigInt(past + i)), dims: [n] },
      mask: { type: 'float32', data: mask, dims: [n, span] },
    };
    for (let l = 0; l < n_layers; l++) {
      feeds[`past_k.${l}`] = { type: 'float32', data: cache.k[l]!, dims: [n_heads, 1 + past, d_head] };
      feeds[`past_v.${l}`] = { type: 'float32', data: cache.v[l]!, dims: [n_heads, 1 + past, d_head] };
    }
    for (const point of steer_inputs) {
      const delta = deltas[point] ?? new Float32Array(n * d_model);
      if (delta.length !== n * d_model) throw new EngineError(`The delta for "${point}" has ${delta.length} floats; [${n}, ${d_model}] needs ${n * d_model}.`);
      feeds[`delta.${point}`] = { type: 'float32', data: delta, dims: [n, d_model] };
    }
    const out = await this.session.run(feeds);
    const floats = (name: string) => out[name]!.data as Float32Array;
    return {
      logits: floats('logits'),
      cache: {
        length: past + n,
        k: Array.from({ length: n_layers }, (_, l) => floats(`present_k.${l}`)),
        v: Array.from({ length: n_layers }, (_, l) => floats(`present_v.${l}`)),
      },
    };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** The decoding graph, from the exported model's initializers. */
function buildDecoder(weights: Map<string, Initializer>, config: ManifestModel, file: string): Uint8Array {
  const { n_layers, n_heads, d_head, d_model, d_vocab, steer_inputs } = config;
  const g = new GraphBuilder('cached_decoder');
  const find = (name: string) => weights.get(`model.${name}.fp16`) ?? weights.get(`model.${name}`) ?? weights.get(name);
  const w = (name: string, dims: readonly number[]) => {
    const init = find(name);
    if (!init) throw new EngineError(`${file} has no weight "${name}": it is not a model this app can decode with a cache.`, file);
    const data = init.dataType === 10 ? decodeF16(init.raw) : init.dataType === 1 ? decodeF32(init.raw) : null;
    const count = dims.reduce((a, b) => a * b, 1);
    if (!data || data.length !== count) throw new EngineError(`${file}: weight "${name}" is not ${dims.join('×')} float16 or float32.`, file);
    return g.weight(name, data, dims);
  };
  const ids = g.input('input_ids', 'int64', ['n']);
  const positions = g.input('positions', 'int64', ['n']);
  const mask = g.input('mask', 'float32', ['n', 'span']);
  const deltas = new Map(steer_inputs.map((p) => [p, g.input(`delta.${p}`, 'float32', ['n', d_model])]));
  const withDelta = (x: string, point: string) => (deltas.has(point) ? g.op('Add', [x, deltas.get(point)!]) : x);
  // model.onnx stores nn.Linear weights [out, in]; a graph built from Hugging Face files, Conv1D ones [in, out].
  const linear = (x: string, name: string, dOut: number, dIn: number) =>
    find(`${name}.${CONV1D_WEIGHT}`)
      ? g.op('Gemm', [x, w(`${name}.${CONV1D_WEIGHT}`, [dIn, dOut]), w(`${name}.bias`, [dOut])])
      : g.op('Gemm', [x, w(`${name}.weight`, [dOut, dIn]), w(`${name}.bias`, [dOut])], { transB: attr.int(1) });
  // A LayerNorm folded into the weights after it (weightProcessing.ts) has no weights left: it only normalises.
  const lnWeight = (name: string, fill: number) => (find(name) ? w(name, [d_model]) : g.constant(new Float32Array(d_model).fill(fill)));
  const layerNorm = (x: string, name: string) =>
    g.op('LayerNormalization', [x, lnWeight(`${name}.weight`, 1), lnWeight(`${name}.bias`, 0)], {
      axis: attr.int(-1),
      epsilon: attr.float(config.layer_norm_epsilon ?? LN_EPSILON),
    });
  const activation = activationOp(g, config.activation ?? 'gelu_exact');
  const heads = g.constant(BigInt64Array.from([-1n, BigInt(n_heads), BigInt(d_head)]));
  const flat = g.constant(BigInt64Array.from([-1n, BigInt(d_model)]));
  const toHeads = (x: string) => g.op('Transpose', [g.op('Reshape', [x, heads])], { perm: attr.ints([1, 0, 2]) });
  const embed = w('embed.weight', [d_vocab, d_model]);

  let x = g.op('Add', [g.op('Gather', [embed, ids]), g.op('Gather', [w('pos', [config.n_ctx, d_model]), positions])]);
  for (let l = 0; l < n_layers; l++) {
    const b = `blocks.${l}`;
    x = withDelta(x, `${b}.hook_resid_pre`);
    const h = layerNorm(x, `${b}.ln1`);
    // qkv is one [3·d_model, d_model] matrix; its rows split into W_Q, W_K, W_V.
    const qkv = linear(h, `${b}.attn.qkv`, 3 * d_model, d_model);
    const [q, k, v] = g.ops('Split', [qkv, g.constant(BigInt64Array.from([d_model, d_model, d_model].map(BigInt)))], { axis: attr.int(1) }, 3) as [string, string, string];
    const pastK = g.input(`past_k.${l}`, 'float32', [n_heads, 'past', d_head]);
    const pastV = g.input(`past_v.${l}`, 'float32', [n_heads, 'past', d_head]);
    const keys = g.op('Concat', [pastK, toHeads(k)], { axis: attr.int(1) });
    const values = g.op('Concat', [pastV, toHeads(v)], { axis: attr.int(1) });
    g.output(keys, `present_k.${l}`, 'float32', [n_heads, 'span', d_head]);
    g.output(values, `present_v.${l}`, 'float32', [n_heads, 'span', d_head]);
    const divisor = g.constant(Float32Array.of(config.attn_score_divisors?.[l] ?? Math.sqrt(d_head)), []);
    const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [toHeads(q), g.op('Transpose', [keys], { perm: attr.ints([0, 2, 1]) })]), divisor]), mask]);
    const z = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [g.op('Softmax', [scores], { axis: attr.int(-1) }), values])], { perm: attr.ints([1, 0, 2]) }), flat]);
    x = g.op('Add', [x, linear(withDelta(z, `${b}.attn.hook_z`), `${b}.attn.out`, d_model, d_model)]);
    const dMlp = find(`${b}.mlp_in.bias`)?.dims[0] ?? 4 * d_model;
    const pre = linear(layerNorm(x, `${b}.ln2`), `${b}.mlp_in`, dMlp, d_model);
    x = g.op('Add', [x, withDelta(linear(activation(pre), `${b}.mlp_out`, d_model, dMlp), `${b}.hook_mlp_out`)]);
  }
  x = withDelta(x, `blocks.${n_layers - 1}.hook_resid_post`);
  // The unembedding is the tied embedding, unless processing made it a matrix of its own (with a bias).
  const logits = find(UNEMBED)
    ? g.op('Gemm', [layerNorm(x, 'ln_f'), w(UNEMBED, [d_model, d_vocab]), ...(find(UNEMBED_BIAS) ? [w(UNEMBED_BIAS, [d_vocab])] : [])])
    : g.op('Gemm', [layerNorm(x, 'ln_f'), embed], { transB: attr.int(1) });
  g.output(logits, 'logits', 'float32', ['n', d_vocab]);
  return g.toModel({ opset: 17 });
}
