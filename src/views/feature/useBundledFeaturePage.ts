import { useState } from 'react';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { usePromise } from '../../hooks/usePromise';
import { toAppError } from '../../state/appError';
import { useFeatureLabels } from '../../state/labelStore';
import { useLoadStore } from '../../state/loadStore';
import { dashboardPageData, featureHeadsData, type FeaturePageState } from './featurePageData';

/**
 * A feature page from the bundle's precomputed dashboards: the index files, the feature's shard and
 * the corpus its examples point into, fetched without waiting for the model. The corpus may still
 * be on its way when the page shows (only the example panels wait for it).
 */
export function useBundledFeaturePage(saeId: string, index: number): FeaturePageState {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const [attempt, setAttempt] = useState(0);
  const source = dashboardSourceFor(bundleUrl);
  const root = usePromise(() => source.root(), [source, attempt]);
  const saeIndex = usePromise(() => source.saeIndex(saeId), [source, saeId, attempt]);
  const dashboard = usePromise(() => source.feature(saeId, index), [source, saeId, index, attempt]);
  const tokens = usePromise(() => source.corpus(), [source, attempt]);
  // Only an attention SAE's index names a heads file; the others' pages have no heads panel.
  const hasHeads = saeIndex.status === 'ready' && saeIndex.value.heads !== undefined;
  const heads = usePromise(() => (hasHeads ? source.headStats(saeId) : null), [source, saeId, hasHeads, attempt]);
  const labels = useFeatureLabels(saeId);

  const failed = [root, saeIndex, dashboard, heads].find((s) => s.status === 'failed');
  if (failed?.status === 'failed') {
    return { status: 'failed', error: toAppError(`Feature ${index} of ${saeId} cannot be shown`, failed.error), retry: () => setAttempt((a) => a + 1) };
  }
  if (root.status !== 'ready' || saeIndex.status !== 'ready' || dashboard.status !== 'ready' || (hasHeads && heads.status !== 'ready')) return { status: 'loading' };
  const extra = heads.status === 'ready' && heads.value ? { heads: featureHeadsData(heads.value, index) } : {};
  const moreExamples = saeIndex.value.moreExamples ? () => source.moreExamples(saeId, index) : undefined;
  return { status: 'ready', data: dashboardPageData({ root: root.value, saeIndex: saeIndex.value, dashboard: dashboard.value, tokens, moreExamples }, labels, extra) };
}
