/**
 * Feature pages for tests: one of a bundled SAE (every part of the page data) and one of the
 * reader's own SAE before its corpus pass (the weights' parts only). Small: a vocabulary of eight
 * tokens, two sequences of six.
 */
import type { Corpus } from '../../../dashboardData/corpus';
import type { DashboardsRoot, SaeDashboardIndex } from '../../../dashboardData/dashboardIndex';
import type { FeatureDashboard } from '../../../dashboardData/featureDashboard';
import type { SaeInfo } from '../../../engine/engine';
import type { LiveFeature } from '../../../worker/liveFeature';
import { dashboardPageData, weightsPageData, type FeaturePageData } from '../featurePageData';

const vocab = ['<bos>', 'The', ' Lord', ' said', ' unto', ' Moses', '.', '\n'];
const corpus: Corpus = { ids: Uint16Array.from([0, 1, 2, 3, 4, 5, 0, 1, 5, 3, 6, 7]), nSeqs: 2, seqLen: 6 };
const settings = { histogramBins: 4, before: 2, after: 1, topExamples: 2, intervals: 1, perInterval: 1, logitTokens: 2, neighbours: 2, correlated: 2, correlationStride: 1 };
const logits = { positive: [{ id: 5, value: 0.8 }], negative: [{ id: 6, value: -0.4 }], histogram: { lo: -0.4, hi: 0.8, counts: [1, 5, 1, 1] } };

const root: DashboardsRoot = {
  format: 'sae-explorer-dashboards',
  version: 1,
  bundle: 'test',
  corpus: { path: 'data/heldout.u16', nSeqs: 2, seqLen: 6, usedSeqs: 2, nTokens: 10, bosTokenId: 0, sha256: '' },
  vocab,
  saes: [{ id: 'L1-test', title: 'Layer 1 test SAE', dSae: 3, nDead: 1, path: 'dashboards/L1-test' }],
};

function saeIndex(signed: boolean): SaeDashboardIndex {
  return {
    format: 'sae-explorer-dashboards',
    version: 1,
    sae: { id: 'L1-test', title: 'Layer 1 test SAE', hookName: 'blocks.1.hook_resid_post', architecture: signed ? 'abstopk' : 'topk', kind: 'resid', layer: 1, dIn: 4, dSae: 3, signed, weightsSha256: '' },
    settings,
    shardSize: 3,
    shards: [{ path: 'shard-0000.bin', first: 0, count: 3, bytes: 0 }],
    summary: 'summary.bin',
    features: { nActive: [3, 0, 1], maxAct: [3, 0, 1], label: ['“ Moses”', 'never fires on the corpus', '“ said”'], topTokens: [5, 2, -1, -1, -1, -1, 3, -1, -1] },
  };
}

/** Feature 0: fires on " Moses" (3.0 at its peak, or −3.0 for a signed SAE), neighbour of the dead feature 1. */
function dashboard(signed: boolean): FeatureDashboard {
  const peak = signed ? -3 : 3;
  return {
    index: 0,
    nActive: 3,
    maxAct: signed ? 1 : 3,
    minAct: signed ? -3 : 0,
    meanAct: 2,
    actHistogram: { lo: 0, hi: 3, counts: [1, 0, 1, 1] },
    topTokens: [{ id: 5, share: 0.8 }],
    logits,
    neighbours: [{ index: 1, value: 0.5 }],
    correlated: [{ index: 2, value: 0.3 }],
    groups: [
      { kind: 'top', lo: 0, hi: 3, count: 2, examples: [{ token: 5, start: 3, values: Float32Array.from([0, 1, peak]) }] },
      { kind: 'interval', lo: 0, hi: 3, count: 2, examples: [{ token: 8, start: 7, values: Float32Array.from([0, 1]) }] },
    ],
  };
}

/** A bundled SAE's feature 0, its labels loaded. */
export function bundledPage(opts: { signed?: boolean } = {}): FeaturePageData {
  const signed = opts.signed ?? false;
  const labels = saeIndex(signed).features.label.map((text) => ({ text, origin: 'heuristic' as const }));
  return dashboardPageData({ root, saeIndex: saeIndex(signed), dashboard: dashboard(signed), tokens: { status: 'ready', value: corpus } }, labels);
}

/** Feature 0 of the reader's own SAE `my-sae`, from its weights alone. */
export function weightsPage(architecture: SaeInfo['architecture'] = 'jumprelu'): FeaturePageData {
  const sae: SaeInfo = { id: 'my-sae', title: 'my-sae', hookName: 'blocks.2.hook_resid_post', architecture, dIn: 4, dSae: 16, layer: 2, kind: 'resid', source: 'user' };
  const live: LiveFeature = { index: 0, logits, neighbours: [{ index: 3, value: 0.6 }], tokenTexts: { 5: ' Moses', 6: '.' } };
  return weightsPageData(sae, live, 'Call me Ishmael.', { origin: 'my-sae/cfg.json, my-sae/sae_weights.safetensors', corpusError: null });
}
