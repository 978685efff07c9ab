/**
 * What every feature page draws around its data: the two columns of panels, the skeleton while it
 * loads, and the error card with ways out. Shared by the precomputed dashboards and the live one of
 * the reader's own SAEs.
 */
import { ErrorCard } from '../../components/ErrorCard';
import type { toAppError } from '../../state/appError';
import type { FeaturePageData } from './featurePageData';
import type { PanelDef } from './featurePanels';

export function FeaturePanelGrid({ panels, data }: { panels: readonly PanelDef[]; data: FeaturePageData }) {
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
    <div className={`feature-view__grid${side.length === 0 || main.length === 0 ? ' feature-view__grid--single' : ''}`}>
      {side.length > 0 && <div className="feature-view__side">{side}</div>}
      {main.length > 0 && <div className="feature-view__main">{main}</div>}
    </div>
  );
}

export function FeatureError({ error, saeId, onRetry }: { error: ReturnType<typeof toAppError>; saeId: string; onRetry?: () => void }) {
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

export function FeatureSkeleton() {
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
