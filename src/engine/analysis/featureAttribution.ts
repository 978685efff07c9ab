/**
 * One feature at one token of a text, split by what wrote it (see headAttribution.ts): for an
 * attention-output SAE, each head and source token; for a residual-stream SAE, each head of the
 * blocks before its hook, their biases, their MLPs and the embeddings. Runs the model once, for
 * the SAE's input and the hooks it splits by.
 */
import type { Engine } from '../engine';
import { layerOfHook } from '../model/hookShapes';
import { EngineError } from '../types';
import { attentionDfa, encoderColumn, residualAttribution, type BlockOutputs } from './headAttribution';

interface AttributionBase {
  saeId: string;
  feature: number;
  /** the destination token (0 is BOS) */
  dest: number;
  layer: number;
  nHeads: number;
  /** the feature's activation there, as the SAE computes it */
  activation: number;
  /** what the SAE's biases add to the pre-activation */
  constant: number;
}

export type FeatureAttribution =
  | (AttributionBase & { kind: 'attn'; T: number; bySource: Float32Array /* [n_heads, T] */ })
  | (AttributionBase & {
      kind: 'resid';
      embeddings: number;
      /** [blocks, n_heads], blocks 0 … (the last block before the hook) */
      heads: Float32Array;
      attnBias: Float32Array;
      mlp: Float32Array;
    });

export async function featureAttribution(engine: Engine, ids: number[], saeId: string, feature: number, dest: number): Promise<FeatureAttribution> {
  const [one] = await featureAttributions(engine, ids, saeId, [{ feature, dest }]);
  return one!;
}

/** Several features and destinations of one text and SAE, from one run of the model and the SAE. */
export async function featureAttributions(engine: Engine, ids: number[], saeId: string, queries: readonly { feature: number; dest: number }[]): Promise<FeatureAttribution[]> {
  const sae = await engine.sae(saeId);
  const { n_heads: nHeads, d_head: dHead, d_model: dModel } = engine.manifest.model;
  const T = ids.length;
  if (T < 2) throw new EngineError('The text has no token to attribute: type at least one word.', undefined, 'invalid');
  for (const { dest } of queries) {
    if (!Number.isInteger(dest) || dest < 1 || dest >= T) {
      throw new EngineError(`Token ${dest} cannot be attributed: choose one of tokens 1 … ${T - 1} (0 is the start-of-text marker).`, undefined, 'invalid');
    }
  }
  const columns = queries.map((q) => encoderColumn(sae, q.feature));
  const hook = sae.hookName;
  const layer = layerOfHook(hook);
  const attn = /^blocks\.(\d+)\.attn\.hook_z$/.exec(hook);
  const resid = /^blocks\.(\d+)\.hook_resid_(pre|post)$/.exec(hook);
  if (layer === null || (!attn && !resid)) {
    throw new EngineError(
      `Features of SAEs on ${hook} cannot be split by head: only attention outputs (hook_z) and the residual stream are linear in the heads' outputs.`,
      saeId,
    );
  }
  // resid_post of block L has been written by blocks 0 … L; resid_pre of block L by blocks 0 … L−1
  const blocks = attn ? 0 : resid![2] === 'post' ? layer + 1 : layer;
  if (blocks > engine.manifest.model.n_layers) {
    throw new EngineError(`The model has ${engine.manifest.model.n_layers} blocks, so it has no ${hook}.`, saeId);
  }
  const layers = Array.from({ length: blocks }, (_, l) => l);
  const names = attn
    ? [`blocks.${layer}.attn.hook_v`, `blocks.${layer}.attn.hook_pattern`]
    : ['blocks.0.hook_resid_pre', ...layers.flatMap((l) => [`blocks.${l}.attn.hook_z`, `blocks.${l}.hook_mlp_out`])];
  const missing = names.filter((n) => !engine.manifest.model.hooks.includes(n));
  if (missing.length) {
    throw new EngineError(`This model does not output ${missing.join(', ')}, which splitting a feature by head needs. Rebuild the bundle.`, saeId);
  }
  // One model run gives the SAE its input and the attribution the hooks it splits by.
  const [{ acts: all, hooks }, weights] = await Promise.all([engine.featureActsWithHooks(ids, [saeId], names), engine.modelWeights()]);
  const { acts, dSae } = all.get(saeId)!;
  const base = (i: number) => {
    const { feature, dest } = queries[i]!;
    return { saeId, feature, dest, layer, nHeads, activation: acts[dest * dSae + feature]!, constant: columns[i]!.constant };
  };
  const floats = (t: { data: unknown } | undefined, name: string) => {
    if (!(t?.data instanceof Float32Array)) throw new EngineError(`The model returned no float tensor for ${name}.`);
    return t.data;
  };

  if (attn) {
    const v = floats(hooks[names[0]!], names[0]!);
    const pattern = floats(hooks[names[1]!], names[1]!);
    return queries.map((q, i) => ({ ...base(i), kind: 'attn', T, bySource: attentionDfa(v, pattern, { T, nHeads, dHead }, q.dest, columns[i]!) }));
  }

  const parts: BlockOutputs[] = layers.map((l) => ({
    z: floats(hooks[`blocks.${l}.attn.hook_z`], `blocks.${l}.attn.hook_z`),
    W_O: weights.W_O[l]!,
    b_O: weights.b_O[l] ?? null,
    mlpOut: floats(hooks[`blocks.${l}.hook_mlp_out`], `blocks.${l}.hook_mlp_out`),
  }));
  const embeddings = floats(hooks['blocks.0.hook_resid_pre'], 'blocks.0.hook_resid_pre');
  return queries.map((q, i) => ({ ...base(i), kind: 'resid', ...residualAttribution(embeddings, parts, { T, nHeads, dHead, dModel }, q.dest, columns[i]!) }));
}
