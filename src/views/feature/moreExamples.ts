/**
 * The examples "show more" fetched (a bundled SAE's examples shard) or computed (the reader's SAE,
 * in the worker) for a feature, kept per page so the top-examples and interval panels share one
 * fetch, and a revisit does not fetch again.
 */
import { create } from 'zustand';
import type { DashboardExampleGroup } from '../../dashboardData/featureDashboard';
import type { Async } from '../../hooks/usePromise';
import type { PageDataWith } from './featurePageData';

interface MoreExamplesState {
  /** by page key: the more examples' groups (null: none are stored for this SAE) */
  byPage: Record<string, Async<DashboardExampleGroup[] | null>>;
  load(key: string, loader: () => Promise<DashboardExampleGroup[] | null>): void;
}

export const useMoreExamplesStore = create<MoreExamplesState>()((set, get) => ({
  byPage: {},
  load(key, loader) {
    const known = get().byPage[key];
    if (known && known.status !== 'failed') return;
    const put = (state: Async<DashboardExampleGroup[] | null>) => set((s) => ({ byPage: { ...s.byPage, [key]: state } }));
    put({ status: 'pending' });
    loader().then(
      (value) => put({ status: 'ready', value }),
      (error: unknown) => put({ status: 'failed', error }),
    );
  },
}));

/** A page's key: its SAE, feature and the sequences its statistics cover (a live SAE can be computed over several). */
export function pageKey(data: PageDataWith<'corpus'>): string {
  return `${data.sae.id}\n${data.index}\n${data.corpus.coverage.usedSeqs}`;
}

/** This page's more examples, if asked for, and the way to ask (null where the page offers none). */
export function useMoreExamples(data: PageDataWith<'corpus'>): { state: Async<DashboardExampleGroup[] | null> | undefined; load: (() => void) | null } {
  const key = pageKey(data);
  const state = useMoreExamplesStore((s) => s.byPage[key]);
  const loader = data.corpus.moreExamples;
  return { state, load: loader ? () => useMoreExamplesStore.getState().load(key, loader) : null };
}
