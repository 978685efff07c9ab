import { useState } from 'react';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { toAppError } from '../../state/appError';
import { useLoadStore } from '../../state/loadStore';
import { useIsUserSae } from '../../state/userSaes';
import type { RouteViewProps } from '../matchRoute';
import { useResolvedLabels } from './explanationStore';
import { FeatureHeader } from './FeatureHeader';
import { FeatureError, FeaturePanelGrid, FeatureSkeleton } from './FeatureLayout';
import type { FeaturePageData } from './featurePageData';
import { selectPanels } from './featurePanels';
import { LiveFeatureView } from './LiveFeatureView';
import { usePromise } from '../../hooks/usePromise';
import './feature.css';

/**
 * `#/feature/<saeId>/<index>`: one feature's dashboard, from its precomputed shard; for the reader's
 * own SAEs, which have none, the live dashboard of what their weights say.
 */
export function FeatureView({ params, query }: RouteViewProps) {
  const saeId = params.saeId ?? '';
  const rawIndex = params.index ?? '';
  const user = useIsUserSae(saeId);
  if (!/^\d+$/.test(rawIndex)) {
    return (
      <FeatureError
        error={toAppError('This is not a feature address', new Error(`“${rawIndex}” is not a feature index: a feature page's address ends in a number, e.g. #/feature/${saeId}/0.`))}
        saeId={saeId}
      />
    );
  }
  const props = { saeId, index: Number(rawIndex), query };
  if (user === null) return <FeatureSkeleton />;
  return user ? <LiveFeatureView {...props} /> : <PrecomputedFeatureView {...props} />;
}

/** Which feature a page shows, and the address's query (`?panels=`, `?embed=`). */
export interface FeaturePageProps {
  saeId: string;
  index: number;
  query: URLSearchParams;
}

function PrecomputedFeatureView({ saeId, index, query }: FeaturePageProps) {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const [attempt, setAttempt] = useState(0);
  const source = dashboardSourceFor(bundleUrl);

  const root = usePromise(() => source.root(), [source, attempt]);
  const saeIndex = usePromise(() => source.saeIndex(saeId), [source, saeId, attempt]);
  const dashboard = usePromise(() => source.feature(saeId, index), [source, saeId, index, attempt]);
  const corpus = usePromise(() => source.corpus(), [source, attempt]);
  const labels = useResolvedLabels(saeId);

  const failed = [root, saeIndex, dashboard].find((s) => s.status === 'failed');
  if (failed?.status === 'failed') {
    return <FeatureError error={toAppError(`Feature ${index} of ${saeId} cannot be shown`, failed.error)} saeId={saeId} onRetry={() => setAttempt((a) => a + 1)} />;
  }
  if (root.status !== 'ready' || saeIndex.status !== 'ready' || dashboard.status !== 'ready') {
    return <FeatureSkeleton />;
  }

  const data: FeaturePageData = { saeId, index, root: root.value, saeIndex: saeIndex.value, dashboard: dashboard.value, corpus, labels };
  const panels = selectPanels(query.get('panels'));
  const embed = query.get('embed') === 'true';
  return (
    <div className={`feature-view${embed ? ' feature-view--embed' : ''}`} data-testid="feature-view" data-feature={index}>
      {!embed && (
        <FeatureHeader saeIndex={saeIndex.value} dashboard={dashboard.value} corpusTokens={root.value.corpus.nTokens} label={labels?.[index] ?? null} />
      )}
      <FeaturePanelGrid panels={panels} data={data} />
    </div>
  );
}
