import { ImportExplanations } from '../../components/explanations/ImportExplanations';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import { errorMessage } from '../../errors/engineError';
import { densityInWords, formatActivation, formatCount, formatDensity } from '../../format/numbers';
import type { LabelOrigin } from '../../state/labels';
import { featureHref, splitHash } from '../matchRoute';
import { PACKED_TEXT_PARAM, TEXT_PARAM } from '../addressText';
import { useHashLocation } from '../../hooks/useHashLocation';
import { withQuery } from '../viewQuery';
import { CorpusPanelsControl } from './CorpusPanelsControl';
import { peakActivation, type FeaturePageData, type FeatureSae } from './featurePageData';

const ARCHITECTURE_NAMES: Record<string, string> = {
  standard: 'ReLU',
  topk: 'TopK',
  batchtopk: 'BatchTopK',
  jumprelu: 'JumpReLU',
  gated: 'Gated',
  abstopk: 'AbsTopK',
  matching_pursuit: 'Matching pursuit',
};

const ORIGIN_NAMES: Record<LabelOrigin, string> = {
  heuristic: 'provisional label from its top tokens',
  bundle: 'explanation shipped with the bundle',
  imported: 'explanation you imported',
};

/**
 * Which feature this is, what it seems to be about, and its headline numbers. The reader's own SAE
 * (`data.live`) says where its numbers come from and offers to compute its corpus panels; a
 * bundled one leads to its feature index and takes imported explanations.
 */
export function FeatureHeader({ data }: { data: FeaturePageData }) {
  const { sae, index, corpus, live } = data;
  const label = data.labels?.[index];
  const hash = useHashLocation();
  return (
    <header className="panel feature-header" data-testid="feature-header">
      <div className="feature-header__top">
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <a href={`#/features/${encodeURIComponent(sae.id)}`}>{sae.id}</a>
          <span aria-hidden="true">›</span>
          <span>feature {index}</span>
        </nav>
        <div className="feature-header__nav">
          {index > 0 && (
            <a className="button button--ghost button--small" href={besideHref(hash, sae.id, index - 1)} aria-label="Previous feature">
              ‹ {index - 1}
            </a>
          )}
          {index < sae.dSae - 1 && (
            <a className="button button--ghost button--small" href={besideHref(hash, sae.id, index + 1)} aria-label="Next feature">
              {index + 1} ›
            </a>
          )}
        </div>
      </div>
      <div className="feature-header__title">
        <h1>
          <span className="feature-header__index">Feature {index}</span>
          {corpus?.dashboard.nActive === 0 && <span className="badge badge--dead">dead</span>}
          {live && <span className="badge">your SAE · live</span>}
        </h1>
        {(label || data.labels === null) && (
          <p className={`feature-header__label feature-header__label--${label?.origin ?? 'none'}`} data-testid="feature-label">
            {label ? label.text : '…'}
          </p>
        )}
        {label && <p className="feature-header__origin muted">{ORIGIN_NAMES[label.origin]}</p>}
        {live && (
          <>
            <p className="notice" data-testid="live-note">
              Computed live in your browser from this SAE’s weights{corpus ? ' and a pass over a corpus' : ''}.
            </p>
            {live.corpusError !== null && (
              <p className="inline-error" role="alert" data-testid="corpus-feature-error">
                The corpus panels of feature {index} cannot be shown: {errorMessage(live.corpusError)}
              </p>
            )}
            <CorpusPanelsControl saeId={sae.id} />
          </>
        )}
      </div>
      {corpus && <StatCards dashboard={corpus.dashboard} signed={sae.signed} corpusTokens={corpus.coverage.nTokens} />}
      <div className="feature-header__meta">
        <span className="chip" title="The SAE">
          {sae.title}
        </span>
        <SaeChips sae={sae} />
        {live ? (
          live.origin !== undefined && (
            <span className="chip chip--mono" title="Where it came from">
              {live.origin}
            </span>
          )
        ) : (
          <ImportExplanations saeId={sae.id} dSae={sae.dSae} />
        )}
      </div>
    </header>
  );
}

/** What the reader set on a feature page that holds for the next one too: the test text, the steering strength, the panels. */
const CARRIED_PARAMS = [TEXT_PARAM, PACKED_TEXT_PARAM, 'strength', 'panels'];

/** The page of a neighbouring feature, carrying those settings. */
function besideHref(hash: string, saeId: string, index: number): string {
  const { query } = splitHash(hash);
  return withQuery(featureHref(saeId, index), Object.fromEntries(CARRIED_PARAMS.map((name) => [name, query.get(name)])));
}

/** A feature's headline numbers over the `corpusTokens` tokens its statistics cover. */
function StatCards({ dashboard: d, signed, corpusTokens }: { dashboard: FeatureDashboard; signed: boolean; corpusTokens: number }) {
  const density = d.nActive / corpusTokens;
  const dead = d.nActive === 0;
  return (
    <dl className="stat-cards">
      <div className="stat-card" data-testid="stat-density">
        <dt>Density</dt>
        <dd>{formatDensity(density)}</dd>
        <dd className="stat-card__note">{densityInWords(density)}</dd>
      </div>
      <div className="stat-card" data-testid="stat-max">
        <dt>Max activation</dt>
        <dd>{dead ? '—' : formatActivation(peakActivation(d, signed))}</dd>
        <dd className="stat-card__note">over the corpus</dd>
      </div>
      <div className="stat-card">
        <dt>Mean when active</dt>
        <dd>{dead ? '—' : formatActivation(d.meanAct)}</dd>
        <dd className="stat-card__note">{formatCount(d.nActive)} active tokens</dd>
      </div>
    </dl>
  );
}

/** The chips that name an SAE's hook, architecture and size. */
function SaeChips({ sae }: { sae: Pick<FeatureSae, 'hookName' | 'architecture' | 'dSae' | 'dIn'> }) {
  return (
    <>
      <span className="chip chip--mono" title="The hook the SAE reads">
        {sae.hookName}
      </span>
      <span className="chip">{ARCHITECTURE_NAMES[sae.architecture] ?? sae.architecture}</span>
      <span className="chip">
        {formatCount(sae.dSae)} features · d_in {sae.dIn}
      </span>
    </>
  );
}
