/**
 * Assembles every feature's dashboard of one SAE from the corpus statistics and the weights, all
 * features at once: the corpus-side statistics walk the feature columns once, and the weight-side
 * ones (logit effects, decoder neighbours) are two matrix products over all features.
 */
import type { SaeKind } from '../model/hookShapes';
import type { ModelWeights } from '../model/modelWeights';
import type { Sae } from '../types';
import type { Corpus } from '../../dashboardData/corpus';
import { DEFAULT_SETTINGS, type DashboardSettings } from '../../dashboardData/dashboardIndex';
import { decoderNeighbours } from './decoderNeighbours';
import type { FeatureDashboard, FeatureValue, HistogramData } from '../../dashboardData/featureDashboard';
import { featureExamples } from './featureExamples';
import { featureStats } from './featureStats';
import { heuristicLabel, labelEvidence } from './heuristicLabel';
import { logitEffects } from './logitEffects';
import type { AccumulatedStats } from './saeStatsAccumulator';
import { tokenProfiles } from './tokenProfile';

/** Top tokens kept per feature (label, search). */
export const PROFILE_TOKENS = 3;

/** How featureExamples picks a feature's examples under `settings`. */
export function exampleOptionsOf(settings: Pick<DashboardSettings, 'topExamples' | 'intervals' | 'perInterval' | 'before' | 'after'>, seqLen: number, signed: boolean) {
  const { topExamples: topK, intervals, perInterval, before, after } = settings;
  return { seqLen, topK, intervals, perInterval, before, after, signed };
}

export interface BuiltDashboards {
  dashboards: FeatureDashboard[];
  labels: string[];
  /** some activation is negative (AbsTopK and the like) */
  signed: boolean;
  settings: DashboardSettings;
}

export interface ModelShape {
  dModel: number;
  dVocab: number;
}

export async function buildDashboards(
  sae: Pick<Sae, 'dSae' | 'dIn' | 'weights'> & { kind: SaeKind; layer: number },
  stats: AccumulatedStats,
  weights: ModelWeights,
  model: ModelShape,
  corpus: Corpus,
  tokenText: (id: number) => string,
  settingsIn: Omit<DashboardSettings, 'correlationStride'> = DEFAULT_SETTINGS,
): Promise<BuiltDashboards> {
  const { columns, coactivation } = stats;
  const { dSae } = sae;
  const settings: DashboardSettings = { ...settingsIn, correlationStride: coactivation?.tokenStride ?? 0 };
  const s = featureStats(columns, settings.histogramBins);
  const signed = s.min.some((v) => v < 0);
  const profiles = tokenProfiles(columns, corpus.ids, model.dVocab, PROFILE_TOKENS);
  // Each sequence's BOS is left out of the statistics.
  const usedSeqs = Math.round(columns.nTokens / (corpus.seqLen - 1));
  const correlated = coactivation?.topCorrelated(settings.correlated) ?? null;
  const decoder = { W_dec: sae.weights.W_dec, dSae, dIn: sae.dIn, kind: sae.kind, layer: sae.layer };
  const logits = await logitEffects(decoder, weights, model, settings.logitTokens, settings.histogramBins);
  const neighbours = await decoderNeighbours(sae.weights.W_dec, dSae, sae.dIn, settings.neighbours);

  const exampleOptions = exampleOptionsOf(settings, corpus.seqLen, signed);
  const dashboards: FeatureDashboard[] = [];
  const labels: string[] = [];
  for (let f = 0; f < dSae; f++) {
    const bins = settings.histogramBins;
    const dead = s.nActive[f] === 0;
    const row = (ids: Int32Array, values: Float32Array, k: number) => {
      const out: { id: number; value: number }[] = [];
      for (let i = f * k; i < (f + 1) * k && ids[i]! >= 0; i++) out.push({ id: ids[i]!, value: values[i]! });
      return out;
    };
    const features = (ids: Int32Array, values: Float32Array, k: number): FeatureValue[] =>
      row(ids, values, k).map(({ id, value }) => ({ index: id, value }));
    const hist = (lo: Float32Array, hi: Float32Array, counts: Uint32Array): HistogramData => ({
      lo: lo[f]!,
      hi: hi[f]!,
      counts: Array.from(counts.subarray(f * bins, (f + 1) * bins)),
    });
    dashboards.push({
      index: f,
      nActive: s.nActive[f]!,
      maxAct: s.max[f]!,
      minAct: s.min[f]!,
      meanAct: s.meanActive[f]!,
      actHistogram: dead ? null : hist(s.histLo, s.histHi, s.histCounts),
      topTokens: profiles[f]!,
      logits: {
        positive: row(logits.positiveIds, logits.positiveValues, logits.k),
        negative: row(logits.negativeIds, logits.negativeValues, logits.k),
        histogram: hist(logits.histLo, logits.histHi, logits.histCounts),
      },
      neighbours: features(neighbours.indices, neighbours.values, neighbours.k),
      correlated: correlated ? features(correlated.indices, correlated.values, correlated.k) : [],
      groups: featureExamples(columns, f, exampleOptions),
    });
    labels.push(heuristicLabel(labelEvidence(dashboards[f]!, corpus, usedSeqs), tokenText));
  }
  return { dashboards, labels, signed, settings };
}
