/**
 * Corpus panels computed in this browser for the reader's own SAEs: which sequence counts each SAE
 * has dashboards for this session, which one its pages show, the computation running (progress,
 * cancel) or the one that failed, and the speed measured so far for estimates.
 */
import { create } from 'zustand';
import { errorCode } from '../errors/engineError';
import type { CorpusDashboardsInfo, CorpusProgress } from '../worker/corpusDashboards';
import { toAppError, type AppError } from './appError';
import { useLoadStore } from './loadStore';
import { request } from './session';

export type CorpusRun =
  /** `seconds`: since it started, at the last progress report */
  | { status: 'running'; nSeqs: number; progress: CorpusProgress | null; seconds: number; stop: AbortController }
  /** `cancelled`: the reader stopped it; the error says so */
  | { status: 'failed'; nSeqs: number; error: AppError; cancelled: boolean };

interface ComputedDashboardsState {
  /** by SAE id, by sequence count: what the worker keeps */
  computed: Record<string, Record<number, CorpusDashboardsInfo>>;
  /** by SAE id: the sequence count its pages show */
  shown: Record<string, number>;
  /** by SAE id: the computation running, or the last one that failed */
  runs: Record<string, CorpusRun>;
  /** corpus tokens per second through the model and an SAE, as last measured here; null before */
  tokensPerSecond: number | null;

  compute(saeId: string, nSeqs: number): Promise<void>;
  cancel(saeId: string): void;
}

export const useComputedDashboards = create<ComputedDashboardsState>()((set, get) => ({
  computed: {},
  shown: {},
  runs: {},
  tokensPerSecond: null,

  compute: async (saeId, nSeqs) => {
    if (get().runs[saeId]?.status === 'running') return;
    const stop = new AbortController();
    const startedAt = performance.now();
    set((s) => ({ runs: { ...s.runs, [saeId]: { status: 'running', nSeqs, progress: null, seconds: 0, stop } } }));
    const stillRunning = () => {
      const run = get().runs[saeId];
      return run?.status === 'running' && run.stop === stop ? run : null;
    };
    let corpusDone = startedAt;
    try {
      const info = await request(
        'corpusDashboards',
        { saeId, nSeqs },
        {
          onProgress: (progress) => {
            const run = stillRunning();
            if (progress.stage === 'corpus') corpusDone = performance.now();
            if (run) set((s) => ({ runs: { ...s.runs, [saeId]: { ...run, progress, seconds: (performance.now() - startedAt) / 1000 } } }));
          },
          signal: stop.signal,
        },
      );
      // Dropped meanwhile (the SAE removed, the corpus replaced): the result is of nothing shown now.
      if (!stillRunning()) return;
      const seconds = (corpusDone - startedAt) / 1000;
      const tokens = info.root.corpus.nTokens;
      set((s) => {
        const { [saeId]: _done, ...runs } = s.runs;
        return {
          runs,
          computed: { ...s.computed, [saeId]: { ...s.computed[saeId], [nSeqs]: info } },
          shown: { ...s.shown, [saeId]: nSeqs },
          // A recalled result took no time and says nothing of the speed.
          tokensPerSecond: seconds > 0.05 ? tokens / seconds : s.tokensPerSecond,
        };
      });
    } catch (err) {
      const cancelled = errorCode(err) === 'cancelled';
      const error = toAppError(cancelled ? 'Stopped' : `The corpus panels of “${saeId}” could not be computed`, err);
      set((s) => ({ runs: { ...s.runs, [saeId]: { status: 'failed', nSeqs, error, cancelled } } }));
    }
  },

  cancel: (saeId) => {
    const run = get().runs[saeId];
    if (run?.status === 'running') run.stop.abort();
  },
}));

/**
 * The worker forgets an SAE's dashboards when it is removed or the bundle reloads: so does the page.
 * Called once when the app starts (startStores), never on import.
 */
export function startComputedDashboards(): void {
  useLoadStore.subscribe((state, prev) => {
    if (state.saes === prev.saes && state.status === prev.status) return;
    const { computed, shown, runs } = useComputedDashboards.getState();
    const keep = state.status === 'loading' ? new Set<string>() : new Set(state.saes.map((s) => s.id));
    const pick = <T>(byId: Record<string, T>) => Object.fromEntries(Object.entries(byId).filter(([id]) => keep.has(id)));
    if (Object.keys(computed).some((id) => !keep.has(id)) || Object.keys(runs).some((id) => !keep.has(id))) {
      for (const [id, run] of Object.entries(runs)) if (!keep.has(id) && run.status === 'running') run.stop.abort();
      useComputedDashboards.setState({ computed: pick(computed), shown: pick(shown), runs: pick(runs) });
    }
  });
}
