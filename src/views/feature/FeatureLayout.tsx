/**
 * What every feature page draws, however its data was loaded: the header and the two columns of
 * panels once it is ready, the skeleton while it loads, the error card with ways out when it fails.
 */
import { ErrorCard } from '../../components/ErrorCard';
import type { AppError } from '../../state/appError';
import { FeatureHeader } from './FeatureHeader';
import { hasParts, type FeaturePageData, type FeaturePageState } from './featurePageData';
import { FEATURE_PANELS, selectPanels, unknownPanels, type PanelDef } from './featurePanels';
import './feature.css';

export interface FeaturePageProps {
  state: FeaturePageState;
  /** the SAE of the address, for the error card's way out while there is no data */
  saeId: string;
  /** the address's query: `?panels=` chooses panels, `?embed=true` drops the header */
  query: URLSearchParams;
}

export function FeaturePage({ state, saeId, query }: FeaturePageProps) {
  if (state.status === 'failed') return <FeatureError error={state.error} saeId={saeId} onRetry={state.retry} />;
  if (state.status === 'loading') return <FeatureSkeleton />;
  const { data } = state;
  const embed = query.get('embed') === 'true';
  return (
    <div
      className={`feature-view${embed ? ' feature-view--embed' : ''}`}
      data-testid="feature-view"
      data-feature={data.index}
      data-live={data.live ? 'true' : undefined}
      data-corpus-seqs={data.corpus?.coverage.usedSeqs}
    >
      {!embed && <FeatureHeader data={data} />}
      <UnknownPanelsNotice names={unknownPanels(query.get('panels'))} />
      <FeaturePanelGrid panels={selectPanels(data, query.get('panels'))} data={data} />
    </div>
  );
}

function FeaturePanelGrid({ panels, data }: { panels: readonly PanelDef[]; data: FeaturePageData }) {
  const column = (area: 'side' | 'main') =>
    panels
      .filter((p) => p.area === area)
      // selectPanels drew only panels whose parts the data has; the check tells the compiler.
      .flatMap((p) =>
        hasParts(data, p.needs)
          ? [
              <section key={p.id} className="panel fpanel" data-testid={`panel-${p.id}`} data-panel={p.id} aria-labelledby={`panel-title-${p.id}`}>
                <header className="fpanel__header">
                  <h2 id={`panel-title-${p.id}`}>{p.title}</h2>
                  <p className="fpanel__hint muted">{p.hint(data)}</p>
                </header>
                <p.Component data={data} />
              </section>,
            ]
          : [],
      );
  const side = column('side');
  const main = column('main');
  return (
    <div className={`feature-view__grid${side.length === 0 || main.length === 0 ? ' feature-view__grid--single' : ''}`}>
      {side.length > 0 && <div className="feature-view__side">{side}</div>}
      {main.length > 0 && <div className="feature-view__main">{main}</div>}
    </div>
  );
}

export function FeatureError({ error, saeId, onRetry }: { error: AppError; saeId: string; onRetry?: () => void }) {
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

/** `?panels=` named something that is no panel: say so, and which names there are. */
function UnknownPanelsNotice({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  return (
    <p className="notice" role="status" data-testid="unknown-panels">
      No panel is called {names.map((n) => `“${n}”`).join(', ')}; the address’s <code>panels=</code> takes{' '}
      {FEATURE_PANELS.map((p) => p.id).join(', ')}.
    </p>
  );
}
