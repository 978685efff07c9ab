/**
 * Head attribution adds up: for active features of the attention and residual SAEs, the parts
 * featureAttribution splits a pre-activation into (heads × source tokens, or heads, MLPs, biases and
 * embeddings) must sum to the activation the engine computes, within 1e-4 (relative above 1). The
 * same check runs in Node (vitest) and in the browser on wasm and WebGPU (parity.html).
 */
import { featureAttributions, type FeatureAttribution } from '../../src/engine/analysis/featureAttribution';
import type { Engine } from '../../src/engine/engine';
import type { ParityRow } from './fixtureParity';

const TOLERANCE = 1e-4;

/** What the parts add up to: the pre-activation, which is the activation wherever the feature fires. */
export function attributionTotal(a: FeatureAttribution): number {
  const parts = a.kind === 'attn' ? [...a.bySource] : [a.embeddings, ...a.heads, ...a.attnBias, ...a.mlp];
  return parts.reduce((s, p) => s + p, a.constant);
}

export interface DfaParityOptions {
  /** destinations checked (default: token 1, the middle one and the last) */
  dests?: number[];
  /** features checked per destination: the strongest active ones (default: all active) */
  featuresPerDest?: number;
}

/**
 * One row per SAE: the worst |Σ parts − activation| (relative above 1) over its active features at
 * the destinations checked. SAEs whose features cannot be split (MLP outputs, matching pursuit) are skipped.
 */
export async function checkDfaSums(engine: Engine, ids: number[], prompt: number, saeIds: readonly string[], opts: DfaParityOptions = {}): Promise<ParityRow[]> {
  const dests = opts.dests ?? [1, Math.floor(ids.length / 2), ids.length - 1];
  const rows: ParityRow[] = [];
  for (const saeId of saeIds) {
    const info = engine.listSaes().find((s) => s.id === saeId);
    if (!info || info.kind === 'mlp' || info.architecture === 'matching_pursuit') continue;
    const { acts, dSae } = await engine.featureActs(ids, saeId);
    const queries = dests.flatMap((dest) =>
      Array.from({ length: dSae }, (_, f) => f)
        .filter((f) => acts[dest * dSae + f] !== 0)
        .sort((a, b) => Math.abs(acts[dest * dSae + b]!) - Math.abs(acts[dest * dSae + a]!))
        .slice(0, opts.featuresPerDest ?? dSae)
        .map((feature) => ({ feature, dest })),
    );
    let worst = 0;
    for (const a of await featureAttributions(engine, ids, saeId, queries)) {
      const miss = Math.abs(attributionTotal(a) - a.activation) / Math.max(1, Math.abs(a.activation));
      // NaN must fail, not vanish in Math.max
      worst = Number.isNaN(miss) ? Infinity : Math.max(worst, miss);
    }
    const checked = queries.length;
    rows.push({ prompt, name: `dfa.${saeId}`, maxAbsDiff: checked > 0 ? worst : Infinity, tolerance: TOLERANCE, dims: [checked], expectedDims: [checked], ok: checked > 0 && worst <= TOLERANCE });
  }
  return rows;
}
