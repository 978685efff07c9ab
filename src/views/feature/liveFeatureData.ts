/**
 * The page data of a live dashboard: an SAE with no precomputed dashboards (the reader's own) has
 * no corpus statistics until the reader computes them in the browser, so only the panels that its
 * weights decide, and "test your text", are drawn. They read the same FeaturePageData as the
 * precomputed page; the corpus-side fields are empty (no shards, no corpus tokens, no examples),
 * which those panels never read. Once computed, every panel is drawn from the computed dashboards.
 */
import { DASHBOARDS_FORMAT, DASHBOARDS_VERSION, DEFAULT_SETTINGS, dashboardSaeEntry } from '../../dashboardData/dashboardIndex';
import type { SaeInfo } from '../../engine/engine';
import { EngineError } from '../../errors/engineError';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import type { CorpusDashboardsInfo } from '../../worker/corpusDashboards';
import type { LiveFeature } from '../../worker/liveFeature';
import type { FeaturePageData } from './featurePageData';
import { FEATURE_PANELS, type PanelDef } from './featurePanels';
import { mergeLabels } from './labels';

/** The panels a live dashboard can fill. */
export const LIVE_PANEL_IDS: readonly string[] = ['logits', 'neighbours', 'test'];

export const LIVE_PANELS: readonly PanelDef[] = FEATURE_PANELS.filter((p) => LIVE_PANEL_IDS.includes(p.id));

/** Architectures whose codes can be negative. */
const SIGNED = new Set(['abstopk', 'matching_pursuit']);

export function liveFeaturePageData(sae: SaeInfo, live: LiveFeature, bundle: string, startText: string): FeaturePageData {
  // Sparse: the panels look up only the tokens the logit lists name.
  const vocab: string[] = [];
  for (const [id, text] of Object.entries(live.tokenTexts)) vocab[Number(id)] = text;
  return {
    saeId: sae.id,
    index: live.index,
    root: {
      format: DASHBOARDS_FORMAT,
      version: DASHBOARDS_VERSION,
      bundle,
      corpus: { path: '', nSeqs: 0, seqLen: 0, usedSeqs: 0, nTokens: 0, bosTokenId: 0, sha256: '' },
      vocab,
      saes: [],
    },
    saeIndex: {
      format: DASHBOARDS_FORMAT,
      version: DASHBOARDS_VERSION,
      sae: dashboardSaeEntry(sae, SIGNED.has(sae.architecture), ''),
      settings: { ...DEFAULT_SETTINGS, correlationStride: 0 },
      shardSize: 0,
      shards: [],
      summary: '',
      features: { nActive: [], maxAct: [], label: [], topTokens: [] },
    },
    dashboard: {
      index: live.index,
      nActive: 0,
      maxAct: 0,
      minAct: 0,
      meanAct: 0,
      actHistogram: null,
      topTokens: [],
      logits: live.logits,
      neighbours: live.neighbours,
      correlated: [],
      groups: [],
    },
    corpus: { status: 'failed', error: new EngineError(`SAE "${sae.id}" has no precomputed dashboards, so no corpus examples.`, sae.id) },
    labels: null,
    startText,
  };
}

/** The page data of a feature whose dashboards were computed in this browser (every panel's). */
export function corpusFeaturePageData(info: CorpusDashboardsInfo, dashboard: FeatureDashboard, startText: string): FeaturePageData {
  return {
    saeId: info.saeId,
    index: dashboard.index,
    root: info.root,
    saeIndex: info.saeIndex,
    dashboard,
    corpus: { status: 'ready', value: info.corpus },
    labels: mergeLabels(info.saeIndex.features.label, null, undefined),
    startText,
  };
}
