import { useState } from 'react';
import { useEngine } from '../../hooks/useEngine';
import { usePromise } from '../../hooks/usePromise';
import { toAppError } from '../../state/appError';
import { useComputedDashboards } from '../../state/computedDashboards';
import { mergeLabels } from '../../state/labels';
import { useLoadStore } from '../../state/loadStore';
import { usePromptStore } from '../../state/promptStore';
import { request } from '../../state/session';
import { useUserSaes } from '../../state/userSaes';
import { dashboardPageData, featureHeadsData, weightsPageData, type FeaturePageState } from './featurePageData';

/**
 * A feature page of the reader's own SAE, computed in the worker: what its weights say (logit
 * effects, nearest decoder directions), and once the reader has computed them over the held-out
 * corpus (CorpusPanelsControl), the corpus statistics too. It waits for the model, and after a
 * reload for the SAE to be loaded again from this browser's storage.
 */
export function useLiveFeaturePage(saeId: string, index: number): FeaturePageState {
  useEngine();
  const status = useLoadStore((s) => s.status);
  const loadError = useLoadStore((s) => s.error);
  const sae = useLoadStore((s) => s.saes.find((x) => x.id === saeId && x.source === 'user'));
  const restoring = useUserSaes((s) => s.restoring || s.loading !== null);
  const userError = useUserSaes((s) => s.error);
  const origin = useUserSaes((s) => s.saes.find((e) => e.id === saeId)?.origin);
  const promptText = usePromptStore((s) => s.text);
  const [attempt, setAttempt] = useState(0);
  // The list is rebuilt whenever any SAE is added; recompute only when this one changes.
  const loadedAs = sae ? `${sae.hookName} ${sae.architecture} ${sae.dIn}×${sae.dSae}` : null;
  const live = usePromise(() => (loadedAs !== null ? request('liveFeature', { saeId, index }) : null), [loadedAs, saeId, index, attempt]);
  const shownSeqs = useComputedDashboards((s) => s.shown[saeId]);
  const computed = useComputedDashboards((s) => (shownSeqs !== undefined ? s.computed[saeId]?.[shownSeqs] : undefined));
  const fromCorpus = usePromise(
    () => (computed && loadedAs !== null && index < computed.saeIndex.sae.dSae ? request('corpusFeature', { saeId, nSeqs: computed.nSeqs, index }) : null),
    [computed, loadedAs, saeId, index, attempt],
  );

  if (status === 'failed') return { status: 'failed', error: loadError ?? toAppError('The model could not be loaded', new Error('unknown error')) };
  if (!sae) {
    if (status === 'loading' || restoring) return { status: 'loading' };
    return {
      status: 'failed',
      error: userError ?? toAppError(`Your SAE “${saeId}” is not loaded`, new Error('Add its files again on the prompt page (“Your own SAE”).')),
    };
  }
  if (index >= sae.dSae) return { status: 'failed', error: toAppError('No such feature', new Error(`SAE “${saeId}” has features 0 to ${sae.dSae - 1}.`)) };
  if (live.status === 'failed') {
    return { status: 'failed', error: toAppError(`Feature ${index} of ${saeId} cannot be shown`, live.error), retry: () => setAttempt((a) => a + 1) };
  }
  if (live.status !== 'ready') return { status: 'loading' };

  const source = { origin, corpusError: fromCorpus.status === 'failed' ? fromCorpus.error : null };
  // Until this feature's computed dashboard has arrived (a moment), the weights' panels stand alone.
  if (computed && fromCorpus.status === 'ready') {
    const { root, saeIndex, corpus } = computed;
    const labels = mergeLabels({ heuristic: saeIndex.features.label, bundle: null }, undefined);
    const tokens = { status: 'ready', value: corpus } as const;
    const heads = computed.heads ? { heads: featureHeadsData(computed.heads, index) } : {};
    const moreExamples = () => request('moreExamples', { saeId, nSeqs: computed.nSeqs, index });
    return {
      status: 'ready',
      data: dashboardPageData({ root, saeIndex, dashboard: fromCorpus.value, tokens, moreExamples }, labels, { startText: promptText, live: source, ...heads }),
    };
  }
  return { status: 'ready', data: weightsPageData(sae, live.value, promptText, source) };
}
