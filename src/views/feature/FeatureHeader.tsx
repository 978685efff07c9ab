import { densityInWords, formatActivation, formatCount, formatDensity } from '../../format/numbers';
import type { SaeDashboardIndex } from '../../dashboardData/dashboardIndex';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import { featureHref } from '../matchRoute';
import { ImportExplanations } from './ImportExplanations';
import { ORIGIN_NAMES, type ResolvedLabel } from './labels';

export interface FeatureHeaderProps {
  saeIndex: SaeDashboardIndex;
  dashboard: FeatureDashboard;
  /** tokens the statistics cover */
  corpusTokens: number;
  label: ResolvedLabel | null;
}

export const ARCHITECTURE_NAMES: Record<string, string> = {
  standard: 'ReLU',
  topk: 'TopK',
  batchtopk: 'BatchTopK',
  jumprelu: 'JumpReLU',
  gated: 'Gated',
  abstopk: 'AbsTopK',
  matching_pursuit: 'Matching pursuit',
};

/** Which feature this is, what it seems to be about, and its headline numbers. */
export function FeatureHeader({ saeIndex, dashboard: d, corpusTokens, label }: FeatureHeaderProps) {
  const { sae } = saeIndex;
  const dead = d.nActive === 0;
  return (
    <header className="panel feature-header" data-testid="feature-header">
      <div className="feature-header__top">
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <a href={`#/features/${encodeURIComponent(sae.id)}`}>{sae.id}</a>
          <span aria-hidden="true">›</span>
          <span>feature {d.index}</span>
        </nav>
        <div className="feature-header__nav">
          {d.index > 0 ? (
            <a className="button button--ghost button--small" href={featureHref(sae.id, d.index - 1)} aria-label="Previous feature">
              ‹ {d.index - 1}
            </a>
          ) : null}
          {d.index < sae.dSae - 1 ? (
            <a className="button button--ghost button--small" href={featureHref(sae.id, d.index + 1)} aria-label="Next feature">
              {d.index + 1} ›
            </a>
          ) : null}
        </div>
      </div>
      <div className="feature-header__title">
        <h1>
          <span className="feature-header__index">Feature {d.index}</span>
          {dead && <span className="badge badge--dead">dead</span>}
        </h1>
        <p className={`feature-header__label feature-header__label--${label?.origin ?? 'none'}`} data-testid="feature-label">
          {label ? label.text : '…'}
        </p>
        {label && <p className="feature-header__origin muted">{ORIGIN_NAMES[label.origin]}</p>}
      </div>
      <StatCards dashboard={d} signed={sae.signed} corpusTokens={corpusTokens} />
      <div className="feature-header__meta">
        <span className="chip" title="The SAE">
          {sae.title}
        </span>
        <SaeChips sae={sae} />
        <ImportExplanations saeId={sae.id} dSae={sae.dSae} />
      </div>
    </header>
  );
}

/** A feature's headline numbers over the `corpusTokens` tokens its statistics cover. */
export function StatCards({ dashboard: d, signed, corpusTokens }: { dashboard: FeatureDashboard; signed: boolean; corpusTokens: number }) {
  const density = d.nActive / corpusTokens;
  const dead = d.nActive === 0;
  return (
    <dl className="stat-cards">
      <div className="stat-card" data-testid="stat-density">
        <dt>Density</dt>
        <dd>{formatDensity(density)}</dd>
        <span className="stat-card__note">{densityInWords(density)}</span>
      </div>
      <div className="stat-card" data-testid="stat-max">
        <dt>Max activation</dt>
        <dd>{dead ? '—' : formatActivation(signed && Math.abs(d.minAct) > d.maxAct ? d.minAct : d.maxAct)}</dd>
        <span className="stat-card__note">over the held-out corpus</span>
      </div>
      <div className="stat-card">
        <dt>Mean when active</dt>
        <dd>{dead ? '—' : formatActivation(d.meanAct)}</dd>
        <span className="stat-card__note">{formatCount(d.nActive)} active tokens</span>
      </div>
    </dl>
  );
}

/** The chips that name an SAE's hook, architecture and size. */
export function SaeChips({ sae }: { sae: { hookName: string; architecture: string; dSae: number; dIn: number } }) {
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
