import { useState } from 'react';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { usePromise } from '../../hooks/usePromise';
import { toAppError } from '../../state/appError';
import { useFeatureLabels } from '../../state/labelStore';
import { useLoadStore } from '../../state/loadStore';
import { dashboardPageData, type FeaturePageState } from './featurePageData';

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
  const labels = useFeatureLabels(saeId);

  const failed = [root, saeIndex, dashboard].find((s) => s.status === 'failed');
  if (failed?.status === 'failed') {
    return { status: 'failed', error: toAppError(`Feature ${index} of ${saeId} cannot be shown`, failed.error), retry: () => setAttempt((a) => a + 1) };
  }
  if (root.status !== 'ready' || saeIndex.status !== 'ready' || dashboard.status !== 'ready') return { status: 'loading' };
  return { status: 'ready', data: dashboardPageData({ root: root.value, saeIndex: saeIndex.value, dashboard: dashboard.value, tokens }, labels) };
}
