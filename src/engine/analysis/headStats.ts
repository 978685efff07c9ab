/**
 * What each head of an attention-output SAE's layer writes, over the corpus: per feature, each
 * head's share of the encoder column (weights alone) and its mean share of the feature's
 * pre-activation at the feature's top activations (direct feature attribution summed over source
 * tokens, z_h[d] · w_f,h); per head, the features it writes most and how polysemantic it is
 * (headPolysemanticity.ts). The corpus shares need the hook_z rows at the top activations only, so
 * the model runs again on just the sequences that hold them.
 */
import { type Corpus, sequence } from '../../dashboardData/corpus';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import type { HeadStats, HeadSummary } from '../../dashboardData/headStats';
import type { Engine } from '../engine';
import { layerOfHook } from '../model/hookShapes';
import { EngineError, throwIfCancelled } from '../../errors/engineError';
import type { Sae } from '../types';
import { encodesLinearly } from './headAttribution';
import { headPolysemanticity } from './headPolysemanticity';

/** Features listed per head, heaviest first. */
export const HEAD_TOP_FEATURES = 24;

/** What the corpus statistics need of one feature: its activation mass and its top activations. */
export interface FeatureActivity {
  /** Σ of the feature's activations over the corpus (tokens × mean activation) */
  mass: number;
  /** global token indices (sequence · seq_len + position) of its top activations */
  topTokens: readonly number[];
}

/** Each feature's activity as its dashboard has it: the peaks of its top examples. */
export function activityOfDashboards(dashboards: readonly FeatureDashboard[]): FeatureActivity[] {
  return dashboards.map((d) => ({
    mass: d.nActive * d.meanAct,
    topTokens: d.groups.filter((g) => g.kind === 'top').flatMap((g) => g.examples.map((e) => e.token)),
  }));
}

/** The SAE's attention shape, checked against the model's: a hook_z SAE reads n_heads × d_head floats. */
export function attentionShape(engine: Pick<Engine, 'manifest'>, sae: Pick<Sae, 'id' | 'hookName' | 'dIn'>): { layer: number; nHeads: number; dHead: number } {
  const { n_heads: nHeads, d_head: dHead, n_layers } = engine.manifest.model;
  const layer = layerOfHook(sae.hookName);
  if (!/\.attn\.hook_z$/.test(sae.hookName) || layer === null) {
    throw new EngineError(`${sae.id} reads ${sae.hookName}, not an attention output (hook_z): only attention SAEs are split by head.`, sae.id, 'invalid');
  }
  if (layer >= n_layers) throw new EngineError(`${sae.id} reads block ${layer}, but the model has blocks 0 … ${n_layers - 1}.`, sae.id, 'invalid');
  if (sae.dIn !== nHeads * dHead) {
    throw new EngineError(`${sae.id} reads ${sae.dIn} floats per token, but hook_z holds ${nHeads} heads × ${dHead} = ${nHeads * dHead}.`, sae.id, 'invalid');
  }
  return { layer, nHeads, dHead };
}

/** [d_sae, n_heads]: ‖w_f,h‖² / ‖w_f‖², each head's share of each feature's encoder column. */
export function weightShareMatrix(W_enc: Float32Array /* [d_in, d_sae] */, dSae: number, nHeads: number, dHead: number): Float32Array {
  const out = new Float32Array(dSae * nHeads);
  for (let h = 0; h < nHeads; h++) {
    for (let i = h * dHead; i < (h + 1) * dHead; i++) {
      const row = i * dSae;
      for (let f = 0; f < dSae; f++) out[f * nHeads + h]! += W_enc[row + f]! ** 2;
    }
  }
  for (let r = 0; r < out.length; r += nHeads) {
    let total = 0;
    for (let h = 0; h < nHeads; h++) total += out[r + h]!;
    if (total > 0) for (let h = 0; h < nHeads; h++) out[r + h]! /= total;
  }
  return out;
}

/**
 * Each head's part of feature `f`'s pre-activation at one token, z_h · w_f,h (the bias aside), as a
 * share of Σ_h |z_h · w_f,h|: signed, so a head that pushes against the feature shows negative,
 * and bounded, so one token where the heads nearly cancel cannot swamp the mean.
 */
export function headSharesAt(z: Float32Array, zOffset: number, W_enc: Float32Array, dSae: number, f: number, nHeads: number, dHead: number, out: Float32Array): void {
  let total = 0;
  for (let h = 0; h < nHeads; h++) {
    let dot = 0;
    for (let j = h * dHead; j < (h + 1) * dHead; j++) dot += z[zOffset + j]! * W_enc[j * dSae + f]!;
    out[h] = dot;
    total += Math.abs(dot);
  }
  for (let h = 0; h < nHeads; h++) out[h] = total > 0 ? out[h]! / total : 0;
}

/**
 * Corpus and weight statistics of attention SAEs `saes` (of one engine), from each feature's
 * activity over `corpus`. One model run per batch of sequences serves every SAE.
 */
export async function corpusHeadStats(
  engine: Engine,
  saes: readonly { sae: Sae; activity: readonly FeatureActivity[] }[],
  corpus: Corpus,
  opts: { batchSeqs?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => Promise<void> | void } = {},
): Promise<HeadStats[]> {
  const parts = saes.map(({ sae, activity }) => {
    const shape = attentionShape(engine, sae);
    if (!encodesLinearly(sae.architecture)) {
      throw new EngineError(`${sae.architecture} SAEs do not encode linearly, so their features cannot be split by head.`, sae.id, 'invalid');
    }
    if (activity.length !== sae.dSae) throw new RangeError(`corpusHeadStats: ${sae.id} has ${sae.dSae} features, activity for ${activity.length}`);
    return { sae, activity, ...shape, shares: new Float32Array(sae.dSae * shape.nHeads), counts: new Uint16Array(sae.dSae) };
  });
  // sequence → (part, feature, position) of every top activation in it
  const wanted = new Map<number, { part: number; feature: number; pos: number }[]>();
  parts.forEach((p, part) =>
    p.activity.forEach((a, feature) => {
      for (const token of a.topTokens) {
        const seq = Math.floor(token / corpus.seqLen);
        if (seq >= corpus.nSeqs) throw new RangeError(`corpusHeadStats: token ${token} is outside the corpus`);
        let list = wanted.get(seq);
        if (!list) wanted.set(seq, (list = []));
        list.push({ part, feature, pos: token % corpus.seqLen });
      }
    }),
  );
  const seqs = [...wanted.keys()].sort((a, b) => a - b);
  const hooks = [...new Set(parts.map((p) => p.sae.hookName))];
  const batchSeqs = opts.batchSeqs ?? 16;
  const scratch = new Float32Array(Math.max(1, ...parts.map((p) => p.nHeads)));
  for (let b = 0; b < seqs.length; b += batchSeqs) {
    if (opts.signal) throwIfCancelled(opts.signal, 'The heads statistics');
    const batch = seqs.slice(b, b + batchSeqs);
    const out = await engine.model.runBatch(batch.map((s) => sequence(corpus, s)), hooks);
    batch.forEach((seq, row) => {
      for (const { part, feature, pos } of wanted.get(seq)!) {
        const p = parts[part]!;
        const z = out.hooks[p.sae.hookName]!.data as Float32Array;
        headSharesAt(z, (row * corpus.seqLen + pos) * p.sae.dIn, p.sae.weights.W_enc, p.sae.dSae, feature, p.nHeads, p.dHead, scratch);
        for (let h = 0; h < p.nHeads; h++) p.shares[feature * p.nHeads + h]! += scratch[h]!;
        p.counts[feature]!++;
      }
    });
    await opts.onProgress?.(Math.min(seqs.length, b + batchSeqs), seqs.length);
  }
  return parts.map((p) => {
    for (let f = 0; f < p.sae.dSae; f++) for (let h = 0; h < p.nHeads; h++) if (p.counts[f]) p.shares[f * p.nHeads + h]! /= p.counts[f]!;
    const weightShares = weightShareMatrix(p.sae.weights.W_enc, p.sae.dSae, p.nHeads, p.dHead);
    const mass = Float32Array.from(p.activity, (a) => a.mass);
    return {
      saeId: p.sae.id,
      layer: p.layer,
      nHeads: p.nHeads,
      dHead: p.dHead,
      weightShares,
      corpusShares: p.shares,
      examples: p.counts,
      heads: headSummaries(p.shares, mass, p.sae.weights.W_dec, p.sae.dSae, p.sae.dIn, p.nHeads),
    };
  });
}

/**
 * Per head: the mass it wrote of each feature, m_f,h = mass_f · max(0, share_h(f)), its heaviest
 * features, and its polysemanticity over them (docs/ARCHITECTURE.md, "Head attribution").
 */
export function headSummaries(shares: Float32Array, featureMass: Float32Array, W_dec: Float32Array, dSae: number, dIn: number, nHeads: number): HeadSummary[] {
  return Array.from({ length: nHeads }, (_, h) => {
    const mass = new Float32Array(dSae);
    let total = 0;
    for (let f = 0; f < dSae; f++) {
      mass[f] = featureMass[f]! * Math.max(0, shares[f * nHeads + h]!);
      total += mass[f]!;
    }
    const poly = headPolysemanticity(mass, W_dec, dIn);
    const top = Array.from(mass.keys())
      .filter((f) => mass[f]! > 0)
      .sort((a, b) => mass[b]! - mass[a]! || a - b)
      .slice(0, HEAD_TOP_FEATURES);
    return {
      head: h,
      score: poly.score,
      totalMass: total,
      nGroups: poly.groups.length,
      groups: poly.groups,
      groupShares: poly.shares,
      top: top.map((f) => ({ feature: f, mass: mass[f]!, share: shares[f * nHeads + h]! })),
    };
  });
}

