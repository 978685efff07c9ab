import { useState } from 'react';
import { toAppError } from '../../state/appError';
import { useLoadStore } from '../../state/loadStore';
import { usePromptStore } from '../../state/promptStore';
import { useCorpusDashboards } from '../../state/computedDashboards';
import { request } from '../../state/session';
import { useUserSaes } from '../../state/userSaes';
import { featureHref } from '../matchRoute';
import { CorpusPanelsControl } from './CorpusPanelsControl';
import { SaeChips, StatCards } from './FeatureHeader';
import { FeatureError, FeaturePanelGrid, FeatureSkeleton } from './FeatureLayout';
import type { FeaturePageProps } from './FeatureView';
import { selectPanels } from './featurePanels';
import { corpusFeaturePageData, LIVE_PANELS, liveFeaturePageData } from './liveFeatureData';
import { usePromise } from '../../hooks/usePromise';
import './feature.css';

/**
 * The dashboard of a feature of the reader's own SAE, computed live in the worker: what its weights
 * say (logit effects, nearest decoder directions) and "test your text", and once the reader has
 * computed them over the held-out corpus (CorpusPanelsControl), every other panel too. It waits for
 * the model and for the SAE to be loaded again from this browser's storage after a reload.
 */
export function LiveFeatureView({ saeId, index, query }: FeaturePageProps) {
  const status = useLoadStore((s) => s.status);
  const loadError = useLoadStore((s) => s.error);
  const bundle = useLoadStore((s) => s.manifest?.name ?? '');
  const sae = useLoadStore((s) => s.saes.find((x) => x.id === saeId && x.source === 'user'));
  const restoring = useUserSaes((s) => s.restoring || s.loading !== null);
  const userError = useUserSaes((s) => s.error);
  const origin = useUserSaes((s) => s.saes.find((e) => e.id === saeId)?.origin);
  const promptText = usePromptStore((s) => s.text);
  const [attempt, setAttempt] = useState(0);
  // The list is rebuilt whenever any SAE is added; recompute only when this one changes.
  const loadedAs = sae ? `${sae.hookName} ${sae.architecture} ${sae.dIn}×${sae.dSae}` : null;
  const live = usePromise(() => (loadedAs !== null ? request('liveFeature', { saeId, index }) : null), [loadedAs, saeId, index, attempt]);
  const shownSeqs = useCorpusDashboards((s) => s.shown[saeId]);
  const computed = useCorpusDashboards((s) => (shownSeqs !== undefined ? s.computed[saeId]?.[shownSeqs] : undefined));
  const fromCorpus = usePromise(
    () => (computed && loadedAs !== null && index < computed.saeIndex.sae.dSae ? request('corpusFeature', { saeId, nSeqs: computed.nSeqs, index }) : null),
    [computed, loadedAs, saeId, index, attempt],
  );

  if (status === 'failed') {
    return <FeatureError error={loadError ?? toAppError('The model could not be loaded', new Error('unknown error'))} saeId={saeId} />;
  }
  if (!sae) {
    if (status === 'loading' || restoring) return <FeatureSkeleton />;
    return (
      <FeatureError
        error={userError ?? toAppError(`Your SAE “${saeId}” is not loaded`, new Error('Add its files again on the prompt page (“Your own SAE”).'))}
        saeId={saeId}
      />
    );
  }
  if (index >= sae.dSae) {
    return <FeatureError error={toAppError('No such feature', new Error(`SAE “${saeId}” has features 0 to ${sae.dSae - 1}.`))} saeId={saeId} />;
  }
  if (live.status === 'failed') {
    return <FeatureError error={toAppError(`Feature ${index} of ${saeId} cannot be shown`, live.error)} saeId={saeId} onRetry={() => setAttempt((a) => a + 1)} />;
  }
  if (live.status !== 'ready') return <FeatureSkeleton />;

  // Until this feature's computed dashboard has arrived (a moment), the weights' panels stand alone.
  const corpusReady = computed && fromCorpus.status === 'ready' ? { info: computed, dashboard: fromCorpus.value } : null;
  const data = corpusReady ? corpusFeaturePageData(corpusReady.info, corpusReady.dashboard, promptText) : liveFeaturePageData(sae, live.value, bundle, promptText);
  const panels = selectPanels(query.get('panels'), corpusReady ? undefined : LIVE_PANELS);
  const embed = query.get('embed') === 'true';
  return (
    <div
      className={`feature-view${embed ? ' feature-view--embed' : ''}`}
      data-testid="feature-view"
      data-feature={index}
      data-live="true"
      data-corpus-seqs={corpusReady ? corpusReady.info.nSeqs : undefined}
    >
      {!embed && (
        <header className="panel feature-header" data-testid="feature-header">
          <div className="feature-header__top">
            <nav className="breadcrumb" aria-label="Breadcrumb">
              <a href="#/">{sae.id}</a>
              <span aria-hidden="true">›</span>
              <span>feature {index}</span>
            </nav>
            <div className="feature-header__nav">
              {index > 0 && (
                <a className="button button--ghost button--small" href={featureHref(saeId, index - 1)} aria-label="Previous feature">
                  ‹ {index - 1}
                </a>
              )}
              {index < sae.dSae - 1 && (
                <a className="button button--ghost button--small" href={featureHref(saeId, index + 1)} aria-label="Next feature">
                  {index + 1} ›
                </a>
              )}
            </div>
          </div>
          <div className="feature-header__title">
            <h1>
              <span className="feature-header__index">Feature {index}</span> <span className="badge">your SAE · live</span>
            </h1>
            <p className="feature-header__label" data-testid="feature-label">
              {corpusReady ? data.labels?.[index]?.text : sae.title}
            </p>
            <p className="notice" data-testid="live-note">
              Computed live in your browser from this SAE’s weights{corpusReady ? ' and a pass over the held-out corpus' : ''}.
            </p>
            {fromCorpus.status === 'failed' && (
              <p className="inline-error" role="alert" data-testid="corpus-feature-error">
                The corpus panels of feature {index} cannot be shown: {fromCorpus.error instanceof Error ? fromCorpus.error.message : String(fromCorpus.error)}
              </p>
            )}
            <CorpusPanelsControl saeId={saeId} />
          </div>
          {corpusReady && <StatCards dashboard={corpusReady.dashboard} signed={corpusReady.info.saeIndex.sae.signed} corpusTokens={corpusReady.info.root.corpus.nTokens} />}
          <div className="feature-header__meta">
            <SaeChips sae={sae} />
            {origin && (
              <span className="chip chip--mono" title="Where it came from">
                {origin}
              </span>
            )}
          </div>
        </header>
      )}
      <FeaturePanelGrid panels={panels} data={data} />
    </div>
  );
}
