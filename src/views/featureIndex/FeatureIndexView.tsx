import { useDeferredValue, useMemo, useState } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { ImportExplanations } from '../../components/explanations/ImportExplanations';
import { Histogram } from '../../components/histogram/Histogram';
import { displayToken } from '../../components/tokens/tokenDisplay';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { formatActivation, formatCount, formatDensity } from '../../format/numbers';
import { usePromise } from '../../hooks/usePromise';
import { toAppError } from '../../state/appError';
import { useFeatureLabels } from '../../state/labelStore';
import { useLoadStore } from '../../state/loadStore';
import { qualityLine, useBundleQuality } from '../../state/saeQuality';
import { featureHref, type RouteViewProps } from '../matchRoute';
import { navigateTo, withPath, writeViewQuery } from '../viewQuery';
import { buildRows, densityHistogram, filterRows, readIndexQuery, SORT_NAMES, sortRows, type ShowFilter, type SortKey } from './featureIndexModel';
import { UserSaeIndexIntro } from './UserSaeIndexIntro';
import { useIndexData } from './useIndexData';
import './featureIndex.css';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/** Rows drawn at first; more on request, so a 16k-feature SAE stays quick. */
const PAGE = 100;

/**
 * `#/features` and `#/features/<saeId>?q=…&sort=…&show=…`: the bundle's SAEs, then one SAE's
 * features to browse and search, the search, sort and filter kept in the address.
 */
export function FeatureIndexView({ params, query }: RouteViewProps) {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const [attempt, setAttempt] = useState(0);
  const source = dashboardSourceFor(bundleUrl);
  const root = usePromise(() => source.root(), [source, attempt]);
  const saeId = params.saeId ?? (root.status === 'ready' ? (root.value.saes[0]?.id ?? '') : '');
  useDocumentTitle('Features', saeId);

  if (root.status === 'failed') {
    return (
      <div className="features-view" data-testid="features-error">
        <ErrorCard error={toAppError('The feature dashboards cannot be shown', root.error)} onRetry={() => setAttempt((a) => a + 1)} retryLabel="Load again" hint="The prompt view still works." />
      </div>
    );
  }
  if (root.status === 'pending' || saeId === '') return <div className="features-view skeleton-panel" aria-busy="true" />;
  return <SaeFeatures key={saeId} saeId={saeId} address={query} />;
}

function SaeFeatures({ saeId, address }: { saeId: string; address: URLSearchParams }) {
  const [attempt, setAttempt] = useState(0);
  const { root, saeIndex, needsCorpus } = useIndexData(saeId, attempt);
  const bundleQuality = useBundleQuality();
  const labels = useFeatureLabels(saeId);
  const { query, sort, show } = readIndexQuery(address);
  const [limit, setLimit] = useState(PAGE);
  const deferredQuery = useDeferredValue(query);

  const rows = useMemo(
    () => (root.status === 'ready' && saeIndex.status === 'ready' ? buildRows(saeIndex.value, root.value, labels) : []),
    [root, saeIndex, labels],
  );
  const shown = useMemo(() => sortRows(filterRows(rows, deferredQuery, show), sort), [rows, deferredQuery, show, sort]);
  const density = useMemo(() => densityHistogram(rows), [rows]);

  if (saeIndex.status === 'failed') {
    return (
      <div className="features-view" data-testid="features-error">
        <ErrorCard error={toAppError(`The features of ${saeId} cannot be listed`, saeIndex.error)} onRetry={() => setAttempt((a) => a + 1)} retryLabel="Load again" hint="The prompt view still works." />
        <SaeSwitcher current={saeId} />
      </div>
    );
  }
  if (needsCorpus) {
    return (
      <UserSaeIndexIntro saeId={saeId}>
        <SaeSwitcher current={saeId} />
      </UserSaeIndexIntro>
    );
  }
  if (root.status !== 'ready' || saeIndex.status !== 'ready') return <div className="features-view skeleton-panel" aria-busy="true" />;
  const { sae } = saeIndex.value;
  const alive = rows.length - density.dead;

  const quality = bundleQuality.status === 'ready' ? bundleQuality.value.byId.get(saeId) : undefined;
  return (
    <div className="features-view" data-testid="features-view">
      <header className="panel features-header">
        <div className="features-header__text">
          <p className="features-header__kicker muted">Feature index</p>
          <h1>{sae.title}</h1>
          <div className="features-header__meta">
            <span className="chip chip--mono">{sae.hookName}</span>
            <span className="chip">{formatCount(sae.dSae)} features</span>
            <span className="chip" data-testid="alive-count">
              {formatCount(alive)} alive · {formatCount(density.dead)} dead
            </span>
            <span className="chip">{formatCount(root.value.corpus.nTokens)} corpus tokens</span>
            {quality && (
              <a className="chip" href="#/saes" data-testid="features-quality" title="Measured on the held-out text; compare every SAE">
                {qualityLine(quality)}
              </a>
            )}
            <a className="chip" href={`#/map/${encodeURIComponent(sae.id)}`} data-testid="features-map-link">
              see them on a map
            </a>
          </div>
          <SaeSwitcher current={saeId} />
        </div>
        <div className="features-header__chart">
          <Histogram
            counts={density.counts}
            lo={density.lo}
            hi={density.hi}
            unit="features"
            xLabel="log₁₀ density (fraction of tokens where the feature fires)"
            label="How many features fire how often"
            height={120}
            format={(v) => (Number.isInteger(v) ? `1e${v}` : v.toFixed(1))}
          />
        </div>
      </header>

      <section className="panel features-table-panel">
        <div className="features-controls">
          <input
            className="input features-controls__search"
            type="search"
            placeholder="Search labels, top tokens or #index…"
            aria-label="Search features"
            data-testid="feature-search"
            value={query}
            onChange={(e) => {
              writeViewQuery({ q: e.target.value || null }, 'type');
              setLimit(PAGE);
            }}
          />
          <label className="features-controls__field">
            <span className="muted">Sort</span>
            <select className="select select--compact" data-testid="feature-sort" value={sort} onChange={(e) => writeViewQuery({ sort: e.target.value === 'index' ? null : e.target.value }, 'push')}>
              {(Object.keys(SORT_NAMES) as SortKey[]).map((k) => (
                <option key={k} value={k}>
                  {SORT_NAMES[k]}
                </option>
              ))}
            </select>
          </label>
          <div className="segmented" role="group" aria-label="Which features">
            {(['all', 'alive', 'dead'] as ShowFilter[]).map((s) => (
              <button key={s} type="button" className={`segmented__item${show === s ? ' segmented__item--on' : ''}`} aria-pressed={show === s} onClick={() => writeViewQuery({ show: s === 'all' ? null : s }, 'push')}>
                {s}
              </button>
            ))}
          </div>
          <ImportExplanations saeId={sae.id} dSae={sae.dSae} />
        </div>
        <p className="features-count muted" data-testid="feature-count" aria-live="polite">
          {shown.length === rows.length ? `${formatCount(rows.length)} features` : `${formatCount(shown.length)} of ${formatCount(rows.length)} features match`}
        </p>
        {shown.length === 0 ? (
          <p className="empty-note">No feature matches “{query}”.</p>
        ) : (
          <table className="features-table" data-testid="features-table">
            <thead>
              <tr>
                <th className="features-table__index">#</th>
                <th>Label</th>
                <th>Fires on</th>
                <th className="features-table__num">Density</th>
                <th className="features-table__num">Max act.</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, limit).map((r) => (
                <tr key={r.index} className={r.dead ? 'features-table__row--dead' : undefined} data-testid="feature-index-row" data-index={r.index}>
                  <td className="features-table__index">
                    <a href={featureHref(sae.id, r.index)}>{r.index}</a>
                  </td>
                  <td className="features-table__label">
                    <a href={featureHref(sae.id, r.index)} className={`features-table__label-link features-table__label-link--${r.labelOrigin}`}>
                      {r.label}
                    </a>
                    {r.dead && <span className="badge badge--dead">dead</span>}
                  </td>
                  <td className="features-table__fires">
                    <span className="features-table__tokens">
                      {r.topTokens.map((t, i) => (
                        <code key={i} className="token-chip">
                          {displayToken(t).text}
                        </code>
                      ))}
                    </span>
                  </td>
                  <td className="features-table__num" data-label="Density">
                    <span className="density-cell">
                      <span className="density-cell__bar" aria-hidden="true">
                        <span style={{ width: `${r.dead ? 0 : Math.max(2, ((Math.log10(r.density) + 6) / 6) * 100)}%` }} />
                      </span>
                      {formatDensity(r.density)}
                    </span>
                  </td>
                  <td className="features-table__num" data-label="Max act.">
                    {r.dead ? '—' : formatActivation(r.maxAct)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {shown.length > limit && (
          <button type="button" className="button button--ghost features-more" onClick={() => setLimit((l) => l + PAGE * 5)}>
            Show more ({formatCount(shown.length - limit)} left)
          </button>
        )}
      </section>
    </div>
  );
}

/** Moves to another SAE's index: the bundle's, then the reader's own. */
function SaeSwitcher({ current }: { current: string }) {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const root = usePromise(() => dashboardSourceFor(bundleUrl).root(), [bundleUrl]);
  const saes = useLoadStore((s) => s.saes);
  const own = useMemo(() => saes.filter((s) => s.source === 'user'), [saes]);
  if (root.status !== 'ready') return null;
  return (
    <label className="sae-switcher">
      <span className="muted">SAE</span>
      <select
        className="select select--compact"
        data-testid="sae-switcher"
        value={current}
        onChange={(e) => {
          navigateTo(withPath(window.location.hash, `/features/${encodeURIComponent(e.target.value)}`), 'push');
        }}
      >
        {root.value.saes.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id} — {s.title}
          </option>
        ))}
        {own.length > 0 && (
          <optgroup label="Your SAEs">
            {own.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id} — {s.title}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}
