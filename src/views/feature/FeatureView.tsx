import { useState } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { dashboardSourceFor } from '../../engine/analysis/dashboardSource';
import { toAppError } from '../../state/appError';
import { useLoadStore } from '../../state/loadStore';
import type { RouteViewProps } from '../routes';
import { useResolvedLabels } from './explanationStore';
import { FeatureHeader } from './FeatureHeader';
import type { FeaturePageData } from './featurePageData';
import { selectPanels } from './featurePanels';
import { usePromise } from './usePromise';
import '../../components/contextStrip/contextStrip.css';
import '../../components/featureList/featureList.css';
import '../../components/histogram/histogram.css';
import './feature.css';

/** `#/feature/<saeId>/<index>`: one feature's dashboard, from its precomputed shard. */
export function FeatureView({ params, query }: RouteViewProps) {
  const saeId = params.saeId ?? '';
  const rawIndex = params.index ?? '';
  const index = /^\d+$/.test(rawIndex) ? Number(rawIndex) : Number.NaN;
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const [attempt, setAttempt] = useState(0);
  const source = dashboardSourceFor(bundleUrl);

  const root = usePromise(() => source.root(), [source, attempt]);
  const saeIndex = usePromise(() => source.saeIndex(saeId), [source, saeId, attempt]);
  const dashboard = usePromise(() => (Number.isNaN(index) ? null : source.feature(saeId, index)), [source, saeId, index, attempt]);
  const corpus = usePromise(() => source.corpus(), [source, attempt]);
  const labels = useResolvedLabels(saeId);

  if (Number.isNaN(index)) {
    return (
      <FeatureError
        error={toAppError('This is not a feature address', new Error(`“${rawIndex}” is not a feature index: a feature page's address ends in a number, e.g. #/feature/${saeId}/0.`))}
        saeId={saeId}
      />
    );
  }
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
  const column = (area: 'side' | 'main') =>
    panels
      .filter((p) => p.area === area)
      .map((p) => (
        <section key={p.id} className="panel fpanel" data-testid={`panel-${p.id}`} data-panel={p.id} aria-labelledby={`panel-title-${p.id}`}>
          <header className="fpanel__header">
            <h2 id={`panel-title-${p.id}`}>{p.title}</h2>
            <p className="fpanel__hint muted">{p.hint(data)}</p>
          </header>
          <p.Component data={data} />
        </section>
      ));
  const side = column('side');
  const main = column('main');
  return (
    <div className={`feature-view${embed ? ' feature-view--embed' : ''}`} data-testid="feature-view" data-feature={index}>
      {!embed && (
        <FeatureHeader saeIndex={saeIndex.value} dashboard={dashboard.value} corpusTokens={root.value.corpus.nTokens} label={labels?.[index] ?? null} />
      )}
      <div className={`feature-view__grid${side.length === 0 || main.length === 0 ? ' feature-view__grid--single' : ''}`}>
        {side.length > 0 && <div className="feature-view__side">{side}</div>}
        {main.length > 0 && <div className="feature-view__main">{main}</div>}
      </div>
    </div>
  );
}

function FeatureError({ error, saeId, onRetry }: { error: ReturnType<typeof toAppError>; saeId: string; onRetry?: () => void }) {
  return (
    <div className="feature-view feature-view--error" data-testid="feature-error">
      <ErrorCard error={error} onRetry={onRetry} retryLabel="Load again" hint="The rest of the app still works." />
      <p className="feature-view__escape">
        <a href={`#/features/${encodeURIComponent(saeId)}`}>Browse the features of {saeId || 'an SAE'}</a> ·{' '}
        <a href="#/">Analyse a prompt</a>
      </p>
    </div>
  );
}

function FeatureSkeleton() {
  return (
    <div className="feature-view" aria-busy="true" data-testid="feature-loading">
      <div className="panel feature-header feature-header--skeleton">
        <div className="skeleton-line skeleton-line--title" />
        <div className="skeleton-line skeleton-line--wide" />
      </div>
      <div className="feature-view__grid">
        <div className="feature-view__side">
          {[0, 1].map((i) => (
            <div key={i} className="panel fpanel skeleton-panel" />
          ))}
        </div>
        <div className="feature-view__main">
          {[0, 1].map((i) => (
            <div key={i} className="panel fpanel skeleton-panel" />
          ))}
        </div>
      </div>
    </div>
  );
}
