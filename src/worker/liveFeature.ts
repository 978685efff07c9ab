/**
 * The parts of a feature's dashboard that the weights alone decide, computed live for an SAE with
 * no precomputed dashboards (the reader's own): its logit effects and its nearest decoder
 * neighbours, by the very functions the precompute uses, with the precompute's settings.
 */
import { DEFAULT_SETTINGS } from '../dashboardData/dashboardIndex';
import type { FeatureDashboard, FeatureValue, TokenValue } from '../dashboardData/featureDashboard';
import { decoderNeighbours, type Neighbours } from '../engine/analysis/decoderNeighbours';
import { encodesLinearly, encoderColumn, weightHeadShares } from '../engine/analysis/headAttribution';
import { attentionShape } from '../engine/analysis/headStats';
import { logitEffects } from '../engine/analysis/logitEffects';
import type { Engine } from '../engine/engine';
import type { Sae } from '../engine/types';
import { EngineError } from '../errors/engineError';

export interface LiveFeature {
  index: number;
  logits: FeatureDashboard['logits'];
  neighbours: FeatureValue[];
  /** the text of every token the logit lists name, by id */
  tokenTexts: Record<number, string>;
  /** an attention SAE's feature: each head's share of its encoder column */
  headShares?: Float32Array;
}

/** All-pairs decoder cosines, once per loaded SAE (a feature page's neighbours walk it). */
const neighboursOf = new WeakMap<Sae, Promise<Neighbours>>();

function row<T>(ids: Int32Array, values: Float32Array, k: number, f: number, make: (id: number, value: number) => T): T[] {
  const out: T[] = [];
  for (let i = f * k; i < (f + 1) * k && ids[i]! >= 0; i++) out.push(make(ids[i]!, values[i]!));
  return out;
}

export async function liveFeature(engine: Engine, saeId: string, index: number): Promise<LiveFeature> {
  const info = engine.listSaes().find((s) => s.id === saeId);
  if (!info) throw new EngineError(`There is no SAE "${saeId}" loaded; add it again on the prompt page.`, saeId, 'not-found');
  if (!Number.isSafeInteger(index) || index < 0 || index >= info.dSae) {
    throw new EngineError(`Feature ${index} does not exist: SAE "${saeId}" has features 0 to ${info.dSae - 1}.`, saeId, 'not-found');
  }
  const [sae, weights] = await Promise.all([engine.sae(saeId), engine.modelWeights()]);
  const { d_model: dModel, d_vocab: dVocab } = engine.manifest.model;
  const { logitTokens, histogramBins, neighbours: nNeighbours } = DEFAULT_SETTINGS;
  // One decoder row through W_U: the same arithmetic as the precompute's, for this feature only.
  const direction = sae.weights.W_dec.subarray(index * sae.dIn, (index + 1) * sae.dIn);
  const decoder = { W_dec: direction, dSae: 1, dIn: sae.dIn, kind: info.kind, layer: info.layer };
  const effects = await logitEffects(decoder, weights, { dModel, dVocab }, logitTokens, histogramBins);
  let near = neighboursOf.get(sae);
  if (!near) {
    near = decoderNeighbours(sae.weights.W_dec, sae.dSae, sae.dIn, nNeighbours);
    near.catch(() => neighboursOf.delete(sae));
    neighboursOf.set(sae, near);
  }
  const neighbours = await near;

  const k = effects.k;
  const token = (id: number, value: number): TokenValue => ({ id, value });
  const positive = row(effects.positiveIds, effects.positiveValues, k, 0, token);
  const negative = row(effects.negativeIds, effects.negativeValues, k, 0, token);
  const tokenTexts: Record<number, string> = {};
  for (const { id } of [...positive, ...negative]) {
    tokenTexts[id] = id < engine.tokenizer.vocabSize ? engine.tokenizer.tokenText(id) : `⟨${id}⟩`;
  }
  return {
    index,
    logits: {
      positive,
      negative,
      histogram: { lo: effects.histLo[0]!, hi: effects.histHi[0]!, counts: Array.from(effects.histCounts) },
    },
    neighbours: row(neighbours.indices, neighbours.values, neighbours.k, index, (i, value) => ({ index: i, value })),
    tokenTexts,
    ...(info.kind === 'attn' && encodesLinearly(sae.architecture) ? { headShares: featureWeightShares(engine, sae, index) } : {}),
  };
}

function featureWeightShares(engine: Engine, sae: Sae, index: number): Float32Array {
  const { nHeads, dHead } = attentionShape(engine, sae);
  return weightHeadShares(encoderColumn(sae, index), nHeads, dHead);
}
