/**
 * What a feature page draws from, whichever way it was loaded. The weights decide the logit
 * effects and the decoder neighbours, so every page has them (and "test your text" runs the model);
 * everything else needs a pass over the held-out corpus, so `corpus` is optional: precomputed
 * dashboards always have it, the reader's own SAE once its corpus panels are computed. Panels say
 * which parts they need (featurePanels.ts), and a page draws those whose parts it has.
 */
import type { Corpus } from '../../dashboardData/corpus';
import {
  dashboardSaeEntry,
  type DashboardCorpus,
  type DashboardSettings,
  type DashboardsRoot,
  type FeatureSummaries,
  type SaeDashboardHead,
  type SaeDashboardIndex,
} from '../../dashboardData/dashboardIndex';
import type { FeatureDashboard, FeatureValue } from '../../dashboardData/featureDashboard';
import { featureHeads, type HeadStats } from '../../dashboardData/headStats';
import type { SaeInfo } from '../../engine/engine';
import type { Async } from '../../hooks/usePromise';
import type { AppError } from '../../state/appError';
import type { ResolvedLabel } from '../../state/labels';
import type { LiveFeature } from '../../worker/liveFeature';

/** The SAE a page belongs to, as its dashboards' index.json describes it. */
export type FeatureSae = SaeDashboardHead['sae'];

export interface FeaturePageData {
  sae: FeatureSae;
  index: number;
  /** token texts by id: the vocabulary, or (a page without `corpus`) those the logit lists name */
  vocab: readonly string[];
  logits: FeatureDashboard['logits'];
  /** the nearest decoder directions (cosine) */
  neighbours: FeatureValue[];
  /** every feature's label: null while they load, empty where there are none */
  labels: readonly ResolvedLabel[] | null;
  /** what "test your text" starts from where there is no top example (a live page: the prompt) */
  startText?: string;
  /** absent until a corpus pass: the reader's own SAE before it computes its corpus panels */
  corpus?: FeatureCorpusData;
  /** set for the reader's own SAE, whose page is computed in this browser */
  live?: LiveSource;
  /** an attention SAE's feature: which heads it reads */
  heads?: FeatureHeadsData;
}

/** The optional parts of the page data, which panels name in `needs`. */
export type PagePart = 'corpus' | 'heads';

/** Which heads an attention SAE's feature reads: by its weights, and over the corpus once measured there. */
export interface FeatureHeadsData {
  layer: number;
  /** each head's share of the feature's encoder column */
  weight: Float32Array;
  /** each head's mean share of the feature's pre-activation at its top activations; null before a corpus pass */
  corpus: Float32Array | null;
  /** top activations `corpus` averages over */
  examples: number;
}

/** Page data with parts `N` present. */
export type PageDataWith<N extends PagePart> = FeaturePageData & { [K in N]-?: NonNullable<FeaturePageData[K]> };

/** Whether `data` has every part in `needs`. */
export function hasParts<N extends PagePart>(data: FeaturePageData, needs: readonly N[]): data is PageDataWith<N> {
  return needs.every((part) => data[part] !== undefined);
}

/** What a pass over the held-out corpus says of the feature. */
export interface FeatureCorpusData {
  dashboard: FeatureDashboard;
  /** which corpus the statistics cover, and how many of its tokens */
  coverage: DashboardCorpus;
  settings: DashboardSettings;
  /** every feature's summary (to mark dead ones among related features) */
  features: FeatureSummaries;
  /** the token ids the examples point into; only the example panels wait for them */
  tokens: Async<Corpus>;
  /** fetches (or computes) the example groups "show more" offers; null where none are stored */
  moreExamples?: () => Promise<FeatureDashboard['groups'] | null>;
}

export interface LiveSource {
  /** the file names or URL the SAE came from */
  origin: string | undefined;
  /** why this feature's computed corpus panels cannot be shown; null when they can */
  corpusError: unknown;
}

/** One feature's part of an attention SAE's head statistics. */
export function featureHeadsData(stats: HeadStats, feature: number): FeatureHeadsData {
  return { layer: stats.layer, ...featureHeads(stats, feature) };
}

/** A page from dashboards: precomputed in the bundle, or computed in this browser for the reader's SAE. */
export function dashboardPageData(
  dashboards: {
    root: DashboardsRoot;
    saeIndex: SaeDashboardIndex;
    dashboard: FeatureDashboard;
    tokens: Async<Corpus>;
    moreExamples?: FeatureCorpusData['moreExamples'];
  },
  labels: readonly ResolvedLabel[] | null,
  extra: Pick<FeaturePageData, 'startText' | 'live' | 'heads'> = {},
): FeaturePageData {
  const { root, saeIndex, dashboard, tokens, moreExamples } = dashboards;
  return {
    sae: saeIndex.sae,
    index: dashboard.index,
    vocab: root.vocab,
    logits: dashboard.logits,
    neighbours: dashboard.neighbours,
    labels,
    corpus: { dashboard, coverage: root.corpus, settings: saeIndex.settings, features: saeIndex.features, tokens, ...(moreExamples ? { moreExamples } : {}) },
    ...extra,
  };
}

/** A page of the reader's own SAE before its corpus pass: what its weights say, computed in the worker. */
export function weightsPageData(sae: SaeInfo, live: LiveFeature, startText: string, source: LiveSource): FeaturePageData {
  const vocab: string[] = [];
  for (const [id, text] of Object.entries(live.tokenTexts)) vocab[Number(id)] = text;
  return {
    sae: dashboardSaeEntry(sae, signedArchitecture(sae.architecture), ''),
    index: live.index,
    vocab,
    logits: live.logits,
    neighbours: live.neighbours,
    labels: [],
    startText,
    live: source,
    ...(live.headShares ? { heads: { layer: sae.layer, weight: live.headShares, corpus: null, examples: 0 } } : {}),
  };
}

/**
 * Whether an architecture's codes can be negative, for an SAE no corpus pass has measured yet; the
 * dashboards' `signed` says it from the activations themselves.
 */
function signedArchitecture(architecture: string): boolean {
  return architecture === 'abstopk' || architecture === 'matching_pursuit';
}

/** |activation| drawn at full colour on this feature's page; 0 before a corpus pass. */
export function featureScale(data: FeaturePageData): number {
  const d = data.corpus?.dashboard;
  return d ? Math.max(Math.abs(d.maxAct), Math.abs(d.minAct)) : 0;
}

/** The feature's strongest activation: its maximum, or for a signed SAE its minimum when that is larger in magnitude. */
export function peakActivation(d: Pick<FeatureDashboard, 'maxAct' | 'minAct'>, signed: boolean): number {
  return signed && Math.abs(d.minAct) > d.maxAct ? d.minAct : d.maxAct;
}

/** A page's data as its loader has it so far. */
export type FeaturePageState =
  | { status: 'loading' }
  /** `retry`, where given, loads it again */
  | { status: 'failed'; error: AppError; retry?: () => void }
  | { status: 'ready'; data: FeaturePageData };
