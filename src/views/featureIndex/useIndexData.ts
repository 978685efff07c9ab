/**
 * What an SAE's feature index lists: a bundled SAE's precomputed dashboards (index.json and
 * summary.bin), or for the reader's own SAE the corpus dashboards computed in this browser — the
 * same shapes, so one table serves both. The reader's SAE has none until its corpus panels are
 * computed: `needsCorpus` then says so, and the index offers to compute them.
 */
import type { DashboardsRoot, SaeDashboardIndex } from '../../dashboardData/dashboardIndex';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { usePromise, type Async } from '../../hooks/usePromise';
import { useComputedDashboards } from '../../state/computedDashboards';
import { useLoadStore } from '../../state/loadStore';
import { useIsUserSae } from '../../state/userSaes';

export interface IndexData {
  root: Async<DashboardsRoot>;
  saeIndex: Async<SaeDashboardIndex>;
  /** the reader's own SAE, whose corpus panels are not computed yet */
  needsCorpus: boolean;
}

const pending = { status: 'pending' } as const;

export function useIndexData(saeId: string, attempt: number): IndexData {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const user = useIsUserSae(saeId);
  const shownSeqs = useComputedDashboards((s) => s.shown[saeId]);
  const computed = useComputedDashboards((s) => (shownSeqs !== undefined ? s.computed[saeId]?.[shownSeqs] : undefined));
  const source = dashboardSourceFor(bundleUrl);
  const root = usePromise(() => source.root(), [source]);
  const listed = root.status === 'ready' && root.value.saes.some((s) => s.id === saeId);
  // An SAE the dashboards do not list and that is not the reader's is asked for anyway: the source says what is missing.
  const fromSource = listed || (root.status === 'ready' && user === false);
  const saeIndex = usePromise(() => (fromSource ? source.saeIndex(saeId) : null), [source, saeId, attempt, fromSource]);
  if (root.status !== 'ready' || fromSource) return { root, saeIndex, needsCorpus: false };
  if (computed) return { root: { status: 'ready', value: computed.root }, saeIndex: { status: 'ready', value: computed.saeIndex }, needsCorpus: false };
  return { root, saeIndex: pending, needsCorpus: user === true };
}
